import { describe, expect, it } from "vitest";
import { makeTask } from "../test/fixtures";
import { dueDate, groupByDay } from "./days";

describe("upcoming days", () => {
  it("groups the next seven days in the person's zone", () => {
    const now = new Date("2026-03-10T23:30:00Z"); // March 11 in Berlin
    const tasks = [
      makeTask({ id: 1, due_date: "2026-03-11" }),
      makeTask({ id: 2, due_at: "2026-03-11T23:30:00Z" }), // March 12, 00:30 in Berlin
      makeTask({ id: 3, due_date: "2026-03-17" }),
      makeTask({ id: 4, due_date: "2026-03-18" }), // the eighth day: not shown
      makeTask({ id: 5 }),
    ];
    const days = groupByDay(tasks, "Europe/Berlin", now);
    expect(days).toHaveLength(7);
    expect(days.map((d) => d.date)).toEqual([
      "2026-03-11",
      "2026-03-12",
      "2026-03-13",
      "2026-03-14",
      "2026-03-15",
      "2026-03-16",
      "2026-03-17",
    ]);
    expect(days[0]?.label).toBe("Today · Wed 11 Mar");
    expect(days[1]?.label).toBe("Tomorrow · Thu 12 Mar");
    expect(days[2]?.label).toBe("Fri 13 Mar");
    expect(days.map((d) => d.tasks.map((t) => t.id))).toEqual([[1], [2], [], [], [], [], [3]]);
  });

  it("reads a task's date", () => {
    expect(dueDate({ due_at: "2026-03-11T23:30:00Z", due_date: null }, "UTC")).toBe("2026-03-11");
    expect(dueDate({ due_at: "2026-03-11T23:30:00Z", due_date: null }, "Europe/Berlin")).toBe("2026-03-12");
    expect(dueDate({ due_at: null, due_date: null }, "UTC")).toBeNull();
  });
});
