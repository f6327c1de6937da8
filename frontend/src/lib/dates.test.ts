import { describe, expect, it } from "vitest";
import { dateInZone, describeDue, dueState, fromWallTime, wallTime, zoneOffsetMinutes } from "./dates";

describe("time zones", () => {
  it("knows offsets, including daylight saving time", () => {
    expect(zoneOffsetMinutes("Europe/Berlin", new Date("2026-01-15T12:00:00Z"))).toBe(60);
    expect(zoneOffsetMinutes("Europe/Berlin", new Date("2026-07-15T12:00:00Z"))).toBe(120);
    expect(zoneOffsetMinutes("America/New_York", new Date("2026-01-15T12:00:00Z"))).toBe(-300);
    expect(zoneOffsetMinutes("Asia/Kolkata", new Date("2026-01-15T12:00:00Z"))).toBe(330);
  });

  it("converts wall times both ways", () => {
    expect(fromWallTime("2026-07-01", "18:00", "Europe/Berlin")).toBe("2026-07-01T18:00:00+02:00");
    expect(fromWallTime("2026-01-01", "09:30", "America/New_York")).toBe("2026-01-01T09:30:00-05:00");
    expect(wallTime(new Date("2026-07-01T16:00:00Z"), "Europe/Berlin")).toEqual({ date: "2026-07-01", time: "18:00" });
    // 02:30 does not exist on 2026-03-29 in Berlin: it moves forward.
    expect(fromWallTime("2026-03-29", "02:30", "Europe/Berlin")).toBe("2026-03-29T03:30:00+02:00");
    // 02:30 happens twice on 2026-10-25 in Berlin: the first one.
    expect(fromWallTime("2026-10-25", "02:30", "Europe/Berlin")).toBe("2026-10-25T02:30:00+02:00");
  });

  it("says whether a task is overdue or due soon", () => {
    const now = new Date("2026-05-05T10:00:00Z");
    const task = (due_at: string | null, due_date: string | null = null, completed = false) => ({ due_at, due_date, completed });
    expect(dueState(task("2026-05-05T09:00:00Z"), "UTC", now)).toBe("overdue");
    expect(dueState(task("2026-05-05T20:00:00Z"), "UTC", now)).toBe("soon");
    expect(dueState(task("2026-05-08T20:00:00Z"), "UTC", now)).toBe("later");
    expect(dueState(task(null, "2026-05-04"), "UTC", now)).toBe("overdue");
    expect(dueState(task(null, "2026-05-05"), "UTC", now)).toBe("soon");
    expect(dueState(task("2026-05-05T09:00:00Z", null, true), "UTC", now)).toBe("none");
    expect(dueState(task(null), "UTC", now)).toBe("none");
  });

  it("describes dues relative to today", () => {
    const now = new Date("2026-05-05T10:00:00Z");
    expect(describeDue({ due_at: "2026-05-06T16:00:00Z", due_date: null }, "Europe/Berlin", now)).toBe("Tomorrow 18:00");
    expect(describeDue({ due_at: null, due_date: "2026-05-05" }, "UTC", now)).toBe("Today");
    expect(describeDue({ due_at: null, due_date: "2026-05-12" }, "UTC", now)).toBe("Tue 12 May");
    expect(describeDue({ due_at: null, due_date: "2027-01-02" }, "UTC", now)).toBe("Sat 2 Jan 2027");
    expect(describeDue({ due_at: null, due_date: null }, "UTC", now)).toBeNull();
    expect(dateInZone("Pacific/Auckland", 0, now)).toBe("2026-05-05");
  });
});
