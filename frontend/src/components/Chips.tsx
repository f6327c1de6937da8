import type { Priority, ProjectColor, Recurrence } from "../api/types";
import { type DueState } from "../lib/dates";
import { describeRecurrence } from "../lib/recurrence";
import { Icon } from "./Icon";
import { ColorDot } from "./ProjectColor";

const PRIORITY_STYLE: Record<Priority, string> = {
  none: "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300",
  low: "bg-sky-100 text-sky-900 dark:bg-sky-900/60 dark:text-sky-100",
  medium: "bg-amber-100 text-amber-900 dark:bg-amber-900/60 dark:text-amber-100",
  high: "bg-orange-100 text-orange-900 dark:bg-orange-900/60 dark:text-orange-100",
  urgent: "bg-red-100 text-red-900 dark:bg-red-900/60 dark:text-red-100",
};

const DUE_STYLE: Record<DueState, string> = {
  none: "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300",
  later: "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300",
  soon: "bg-amber-100 text-amber-900 dark:bg-amber-900/60 dark:text-amber-100",
  overdue: "bg-red-100 text-red-900 dark:bg-red-900/60 dark:text-red-100",
};

export function PriorityChip({ priority }: { priority: Priority }) {
  if (priority === "none") return null;
  return (
    <span className={`chip ${PRIORITY_STYLE[priority]}`} data-chip="priority">
      <Icon name="flag" className="size-3" />
      <span>
        <span className="sr-only">Priority </span>
        {priority}
      </span>
    </span>
  );
}

export function DueChip({ label, state }: { label: string; state: DueState }) {
  const prefix = state === "overdue" ? "Overdue: " : state === "soon" ? "Due soon: " : "Due ";
  return (
    <span className={`chip ${DUE_STYLE[state]}`} data-chip="due" data-due-state={state}>
      <Icon name={state === "overdue" ? "warning" : "calendar"} className="size-3" />
      <span>
        <span className="sr-only">{prefix}</span>
        {label}
      </span>
    </span>
  );
}

export function TagChip({ tag }: { tag: string }) {
  return (
    <span className="chip bg-indigo-50 text-indigo-800 dark:bg-indigo-900/50 dark:text-indigo-100" data-chip="tag">
      #{tag}
    </span>
  );
}

export function RecurrenceChip({ recurrence }: { recurrence: Recurrence }) {
  return (
    <span className="chip bg-emerald-50 text-emerald-900 dark:bg-emerald-900/50 dark:text-emerald-100" data-chip="recurrence">
      <Icon name="repeat" className="size-3" /> {describeRecurrence(recurrence)}
    </span>
  );
}

/** "2/5": the direct subtasks done, of all. */
export function ProgressChip({ counts }: { counts: { total: number; completed: number } | undefined }) {
  if (!counts || counts.total === 0) return null;
  const done = counts.completed === counts.total;
  return (
    <span
      className={`chip ${done ? "bg-emerald-50 text-emerald-900 dark:bg-emerald-900/50 dark:text-emerald-100" : "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300"}`}
      data-chip="progress"
    >
      <span className="sr-only">Subtasks done: </span>
      {counts.completed}/{counts.total}
    </span>
  );
}

export function ProjectChip({ name, color }: { name: string; color: ProjectColor }) {
  return (
    <span className="chip bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300" data-chip="project">
      <ColorDot color={color} className="size-2" />
      <span>
        <span className="sr-only">Project </span>
        {name}
      </span>
    </span>
  );
}
