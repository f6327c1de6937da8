// The editor's form values <-> a task, and the PATCH of what changed.
import type { Priority, Recurrence, Task, TaskPatch, Unit, Weekday } from "../api/types";
import { fromWallTime, wallTime } from "./dates";

export type RecurrenceKind = "none" | Recurrence["kind"];

export interface EditorValues {
  title: string;
  description: string;
  date: string;
  time: string;
  priority: Priority;
  tags: string;
  recurrence: RecurrenceKind;
  interval: number;
  unit: Unit;
  days: Weekday[];
  monthDay: number;
}

export function toValues(task: Task, zone: string): EditorValues {
  let date = task.due_date ?? "";
  let time = "";
  if (task.due_at) ({ date, time } = wallTime(new Date(task.due_at), zone));
  const r = task.recurrence;
  return {
    title: task.title,
    description: task.description,
    date,
    time,
    priority: task.priority,
    tags: task.tags.join(" "),
    recurrence: r?.kind ?? "none",
    interval: r && (r.kind === "every" || r.kind === "month_day") ? r.interval : 1,
    unit: r?.kind === "every" ? r.unit : "week",
    days: r?.kind === "on_weekdays" ? r.days : [],
    monthDay: r?.kind === "month_day" ? r.day : 1,
  };
}

export function parseTags(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).map((t) => t.replace(/^#/, "").toLowerCase()).filter(Boolean))];
}

function recurrenceOf(values: EditorValues): Recurrence | null {
  switch (values.recurrence) {
    case "none":
      return null;
    case "every":
      return { kind: "every", interval: values.interval, unit: values.unit };
    case "weekdays":
      return { kind: "weekdays" };
    case "on_weekdays":
      return { kind: "on_weekdays", days: values.days };
    case "month_day":
      return { kind: "month_day", day: values.monthDay, interval: values.interval };
  }
}

/** The fields that differ from `base`: a PATCH changes only what the person changed. */
export function patchFor(base: Task, values: EditorValues, zone: string): TaskPatch {
  const patch: TaskPatch = {};
  const was = toValues(base, zone);
  if (values.title.trim() !== base.title) patch.title = values.title.trim();
  if (values.description !== base.description) patch.description = values.description;
  if (values.priority !== base.priority) patch.priority = values.priority;
  const tags = parseTags(values.tags);
  if (tags.join(" ") !== base.tags.join(" ")) patch.tags = tags;
  if (values.date !== was.date || values.time !== was.time) {
    if (!values.date) {
      patch.due_at = null;
      patch.due_date = null;
    } else if (values.time) {
      patch.due_at = fromWallTime(values.date, values.time, zone);
      patch.due_date = null;
    } else {
      patch.due_date = values.date;
      patch.due_at = null;
    }
  }
  const recurrence = recurrenceOf(values);
  if (JSON.stringify(recurrence) !== JSON.stringify(recurrenceOf(was))) patch.recurrence = recurrence;
  return patch;
}
