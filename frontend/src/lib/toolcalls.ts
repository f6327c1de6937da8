import type { ToolCall } from "../api/types";

const NAMES: Record<string, string> = {
  create_task: "Created a task",
  add_task: "Created a task",
  update_task: "Updated a task",
  complete_task: "Completed a task",
  reopen_task: "Reopened a task",
  delete_task: "Deleted a task",
  list_tasks: "Looked up tasks",
  search_tasks: "Searched tasks",
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function short(value: unknown): string {
  if (typeof value === "string") return value.length > 60 ? `${value.slice(0, 57)}…` : value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value === null || value === undefined) return "none";
  if (Array.isArray(value)) return value.map(short).join(", ");
  return JSON.stringify(value).slice(0, 60);
}

/** A tool call as a person reads it: what was done, with what, and what came of it. */
export function describeToolCall(call: ToolCall): { title: string; details: string[]; result: string } {
  const title = NAMES[call.name] ?? call.name.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
  const details = isRecord(call.arguments)
    ? Object.entries(call.arguments)
        .filter(([, v]) => v !== null && v !== undefined && v !== "" && !(Array.isArray(v) && v.length === 0))
        .map(([k, v]) => `${k.replace(/_/g, " ")}: ${short(v)}`)
    : [];
  let result: string;
  const value = call.result;
  if (isRecord(value) && typeof value.error === "string") result = `Failed: ${value.error}`;
  else if (isRecord(value) && typeof value.title === "string") result = `“${value.title}”${value.completed === true ? " (done)" : ""}`;
  else if (isRecord(value) && Array.isArray(value.tasks)) result = `${value.tasks.length} task${value.tasks.length === 1 ? "" : "s"}`;
  else if (Array.isArray(value)) result = `${value.length} item${value.length === 1 ? "" : "s"}`;
  else result = short(value);
  return { title, details, result };
}
