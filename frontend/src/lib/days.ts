// The Upcoming view's days: the next week in the person's time zone.
import type { Task } from "../api/types";
import { dateInZone, describeDue, formatDay, wallTime } from "./dates";

export interface Day {
  date: string;
  label: string;
  tasks: Task[];
}

/** The date (in `zone`) a task is due on, or null when it has none. */
export function dueDate(task: Pick<Task, "due_at" | "due_date">, zone: string): string | null {
  if (task.due_at) return wallTime(new Date(task.due_at), zone).date;
  return task.due_date;
}

/** `days` days from today, each with its tasks in the order given; tasks outside them are left out. */
export function groupByDay(tasks: readonly Task[], zone: string, now = new Date(), days = 7): Day[] {
  const out: Day[] = Array.from({ length: days }, (_, i) => {
    const date = dateInZone(zone, i, now);
    const named = describeDue({ due_at: null, due_date: date }, zone, now) ?? date;
    return { date, label: i < 2 ? `${named} · ${formatDay(date)}` : named, tasks: [] };
  });
  const byDate = new Map(out.map((d) => [d.date, d]));
  for (const task of tasks) {
    const date = dueDate(task, zone);
    if (date) byDate.get(date)?.tasks.push(task);
  }
  return out;
}
