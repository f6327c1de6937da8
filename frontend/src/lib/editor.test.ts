import { describe, expect, it } from "vitest";
import type { Task } from "../api/types";
import { parseTags, patchFor, toValues } from "./editor";
import { describeRecurrence } from "./recurrence";
import { safeNext } from "./next";
import { describeToolCall } from "./toolcalls";

const task: Task = {
  id: 7,
  title: "Call mom",
  description: "",
  priority: "high",
  tags: ["family"],
  due_at: "2026-07-01T16:00:00Z",
  due_date: null,
  recurrence: null,
  completed: false,
  completed_at: null,
  created_at: "2026-06-01T00:00:00Z",
  updated_at: "2026-06-01T00:00:00Z",
  version: 3,
  project_id: 1,
  section_id: null,
  parent_id: null,
  position: 1048576,
  subtask_counts: { total: 0, completed: 0 },
};

describe("the editor", () => {
  it("sends only what changed", () => {
    const values = toValues(task, "Europe/Berlin");
    expect(values.date).toBe("2026-07-01");
    expect(values.time).toBe("18:00");
    expect(patchFor(task, values, "Europe/Berlin")).toEqual({});
    expect(patchFor(task, { ...values, title: " Call dad ", tags: "#Family, phone" }, "Europe/Berlin")).toEqual({
      title: "Call dad",
      tags: ["family", "phone"],
    });
  });

  it("turns date and time into due_at or due_date", () => {
    const values = toValues(task, "Europe/Berlin");
    expect(patchFor(task, { ...values, time: "" }, "Europe/Berlin")).toEqual({ due_date: "2026-07-01", due_at: null });
    expect(patchFor(task, { ...values, date: "", time: "" }, "Europe/Berlin")).toEqual({ due_date: null, due_at: null });
    expect(patchFor(task, { ...values, time: "09:15" }, "Europe/Berlin")).toEqual({
      due_at: "2026-07-01T09:15:00+02:00",
      due_date: null,
    });
  });

  it("builds recurrences", () => {
    const values = toValues(task, "UTC");
    expect(patchFor(task, { ...values, recurrence: "every", interval: 2, unit: "week" }, "UTC")).toEqual({
      recurrence: { kind: "every", interval: 2, unit: "week" },
    });
    expect(patchFor(task, { ...values, recurrence: "on_weekdays", days: ["mon", "thu"] }, "UTC").recurrence).toEqual({
      kind: "on_weekdays",
      days: ["mon", "thu"],
    });
    const recurring = { ...task, recurrence: { kind: "weekdays" as const } };
    expect(patchFor(recurring, { ...toValues(recurring, "UTC"), recurrence: "none" }, "UTC")).toEqual({ recurrence: null });
  });

  it("parses tags", () => {
    expect(parseTags("#A, b  a,,c")).toEqual(["a", "b", "c"]);
  });
});

describe("small helpers", () => {
  it("describes recurrences", () => {
    expect(describeRecurrence({ kind: "every", interval: 1, unit: "day" })).toBe("every day");
    expect(describeRecurrence({ kind: "every", interval: 2, unit: "week" })).toBe("every 2 weeks");
    expect(describeRecurrence({ kind: "on_weekdays", days: ["mon", "thu"] })).toBe("every Mon, Thu");
    expect(describeRecurrence({ kind: "month_day", day: 1, interval: 1 })).toBe("monthly on the 1st");
    expect(describeRecurrence({ kind: "month_day", day: 22, interval: 3 })).toBe("every 3 months on the 22nd");
    expect(describeRecurrence({ kind: "weekdays" })).toBe("every weekday");
  });

  it("only returns to paths of this app", () => {
    expect(safeNext("/settings?x=1")).toBe("/settings?x=1");
    expect(safeNext("//evil.example")).toBe("/");
    expect(safeNext("https://evil.example")).toBe("/");
    expect(safeNext("/\\evil.example")).toBe("/");
    expect(safeNext("/signin")).toBe("/");
    expect(safeNext(null)).toBe("/");
  });

  it("renders tool calls readably", () => {
    expect(
      describeToolCall({ name: "create_task", arguments: { title: "Buy groceries", due: null, tags: [] }, result: { id: 1, title: "Buy groceries" } }),
    ).toEqual({ title: "Created a task", details: ["title: Buy groceries"], result: "“Buy groceries”" });
    expect(describeToolCall({ name: "list_tasks", arguments: {}, result: { tasks: [1, 2] } }).result).toBe("2 tasks");
    expect(describeToolCall({ name: "frobnicate_it", arguments: null, result: { error: "no" } })).toEqual({
      title: "Frobnicate it",
      details: [],
      result: "Failed: no",
    });
  });
});
