// Imports in words: the preview's sentence, how far a job is, what it did,
// and where in the file a problem is.
import type { Import, ImportFormat, ImportPreview } from "../api/types";

/** The largest file the server imports (20 MB, as it counts them). */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

/** What the file input offers (the server reads the content, whatever its name). */
export const IMPORT_ACCEPT = ".csv,.ics,.json,text/csv,text/calendar,application/json";

export const FORMAT_NAMES: Record<ImportFormat, string> = {
  todoist: "a Todoist CSV export",
  ticktick: "a TickTick CSV backup",
  ical: "iCalendar to-dos",
  taskspin: "a Taskspin JSON export",
};

/** "1 task", "0 tasks", "312 tasks". */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "312 tasks in 4 projects, 12 recurring, 3 lines not understood": every number, even 0. */
export function previewSentence(preview: ImportPreview): string {
  return `${count(preview.tasks, "task")} in ${count(preview.projects, "project")}, ${preview.recurring} recurring, ${count(
    preview.not_understood_count,
    "line",
  )} not understood`;
}

/** Confirmed and not finished: the job is polled. */
export function inProgress(job: Import | undefined): boolean {
  return job?.status === "queued" || job?.status === "running";
}

/** What the progress bar shows, in words. */
export function progressText(job: Import): string {
  if (job.status === "queued") return "Waiting to start…";
  return `${job.progress.processed} of ${count(job.progress.total, "task")}`;
}

/** "Imported 300 tasks, 12 were already there." */
export function doneSentence(job: Import): string {
  const created = job.result?.created.tasks ?? job.progress.total;
  const there = job.result?.already_there.tasks ?? 0;
  return `Imported ${count(created, "task")}, ${there} ${there === 1 ? "was" : "were"} already there.`;
}

/** A problem with where it is: "Line 7 (VTODO UID:x): The date is not understood." */
export function located(detail: string, line?: number | null, component?: string | null): string {
  const where = [line ? `Line ${line}` : "", component ? (line ? `(${component})` : component) : ""].filter(Boolean).join(" ");
  return where ? `${where}: ${detail}` : detail;
}

/** Why a file is not even sent, or null when its size is fine. */
export function tooLarge(file: { name: string; size: number }): string | null {
  if (file.size <= MAX_IMPORT_BYTES) return null;
  const mb = (file.size / (1024 * 1024)).toFixed(1);
  return `“${file.name}” is ${mb} MB: the largest file Taskspin imports is 20 MB.`;
}
