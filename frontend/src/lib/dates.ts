// Dates in the signed-in person's time zone (their account setting), with
// nothing but Intl: wall time <-> instant, and how a due date reads.
import type { Task } from "../api/types";

/** The offset of `zone` at `instant`, in minutes east of UTC. */
export function zoneOffsetMinutes(zone: string, instant: Date): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60000);
}

/** `YYYY-MM-DD` and `HH:MM` of an instant in `zone`. */
export function wallTime(instant: Date, zone: string): { date: string; time: string } {
  const shifted = new Date(instant.getTime() + zoneOffsetMinutes(zone, instant) * 60000);
  const iso = shifted.toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * The RFC 3339 instant (with the zone's offset) of a wall time in `zone`.
 * A time skipped by a DST change moves forward; an ambiguous one takes the
 * first occurrence.
 */
export function fromWallTime(date: string, time: string, zone: string): string {
  const [y, m, d] = date.split("-").map(Number);
  const [hh, mm] = time.split(":").map(Number);
  const guess = Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1, hh ?? 0, mm ?? 0);
  const DAY = 86_400_000;
  // The offsets before and after any transition near this time.
  const before = zoneOffsetMinutes(zone, new Date(guess - DAY));
  const after = zoneOffsetMinutes(zone, new Date(guess + DAY));
  const matching = [before, after]
    .map((offset) => guess - offset * 60000)
    .filter((instant) => {
      const local = wallTime(new Date(instant), zone);
      return local.date === date && local.time === time.slice(0, 5);
    });
  // Ambiguous: the first occurrence. Skipped: the offset before the gap,
  // which lands after it, as late as the gap is long.
  const instant = new Date(matching.length > 0 ? Math.min(...matching) : guess - before * 60000);
  const local = wallTime(instant, zone);
  return `${local.date}T${local.time}:00${formatOffset(zoneOffsetMinutes(zone, instant))}`;
}

/** Today's date in `zone`, shifted by `days`. */
export function dateInZone(zone: string, days = 0, now = new Date()): string {
  const today = wallTime(now, zone).date;
  const shifted = new Date(`${today}T00:00:00Z`);
  shifted.setUTCDate(shifted.getUTCDate() + days);
  return shifted.toISOString().slice(0, 10);
}

const WEEKDAY_NAMES = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export type DueState = "none" | "overdue" | "soon" | "later";

const SOON_MS = 24 * 3600 * 1000;

/** Overdue: pending and past due (a due date from the next day on); soon: within 24 hours (or today). */
export function dueState(task: Pick<Task, "due_at" | "due_date" | "completed">, zone: string, now = new Date()): DueState {
  if (task.completed) return "none";
  if (task.due_at) {
    const due = new Date(task.due_at).getTime();
    if (due < now.getTime()) return "overdue";
    return due - now.getTime() <= SOON_MS ? "soon" : "later";
  }
  if (task.due_date) {
    const today = dateInZone(zone, 0, now);
    if (task.due_date < today) return "overdue";
    return task.due_date === today ? "soon" : "later";
  }
  return "none";
}

/** "Today 18:00", "Tomorrow", "Mon 3 Mar", "3 Mar 2027 09:30": how a due reads in a list. */
export function describeDue(
  due: { due_at: string | null; due_date: string | null },
  zone: string,
  now = new Date(),
): string | null {
  let date: string;
  let time: string | null = null;
  if (due.due_at) {
    const local = wallTime(new Date(due.due_at), zone);
    date = local.date;
    time = local.time;
  } else if (due.due_date) {
    date = due.due_date;
  } else {
    return null;
  }
  const today = dateInZone(zone, 0, now);
  const names: Record<string, string> = {
    [dateInZone(zone, -1, now)]: "Yesterday",
    [today]: "Today",
    [dateInZone(zone, 1, now)]: "Tomorrow",
  };
  const label = names[date] ?? formatDay(date, date.slice(0, 4) !== today.slice(0, 4));
  return time ? `${label} ${time}` : label;
}

/** "Tue 12 May", or "Sat 2 Jan 2027" with the year. */
export function formatDay(date: string, withYear = false): string {
  const at = new Date(`${date}T12:00:00Z`);
  return `${WEEKDAY_NAMES[at.getUTCDay()] ?? ""} ${at.getUTCDate()} ${MONTH_NAMES[at.getUTCMonth()] ?? ""}${withYear ? ` ${at.getUTCFullYear()}` : ""}`;
}

/** Every IANA zone the browser knows (a short list when it cannot tell). */
export function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  const zones = intl.supportedValuesOf?.("timeZone") ?? [];
  return zones.length > 0 ? ["UTC", ...zones.filter((z) => z !== "UTC")] : ["UTC", "Europe/Berlin", "America/New_York"];
}

export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}
