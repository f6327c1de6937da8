// The side panel that edits one task. A save carries the version it was
// based on; when the task changed elsewhere meanwhile (412) the newer
// version is shown, and the person picks theirs or keeps their own.
import { type SyntheticEvent, useId, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { ApiError } from "../api/client";
import { replaceTask, useUpdateTask } from "../api/queries";
import { PRIORITIES, type Task, type TaskPatch, WEEKDAYS } from "../api/types";
import { Dialog } from "../components/Dialog";
import { useToast } from "../components/Toasts";
import { describeDue } from "../lib/dates";
import { type EditorValues, patchFor, toValues } from "../lib/editor";
import { describeRecurrence } from "../lib/recurrence";

export function TaskEditor({ task, zone, onClose }: { task: Task; zone: string; onClose: () => void }) {
  const [base, setBase] = useState(task);
  const [values, setValues] = useState<EditorValues>(() => toValues(task, zone));
  const [conflict, setConflict] = useState<Task | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const update = useUpdateTask();
  const client = useQueryClient();
  const toast = useToast();
  const id = useId();
  const set = <K extends keyof EditorValues>(key: K, value: EditorValues[K]) => setValues((v) => ({ ...v, [key]: value }));

  function save(patch: TaskPatch, version: number) {
    if (Object.keys(patch).length === 0) {
      onClose();
      return;
    }
    setError(null);
    update.mutate(
      { id: base.id, version, patch },
      {
        onSuccess: (saved) => {
          toast({ tone: "info", message: `Saved “${saved.title}”.` }, 3000);
          onClose();
        },
        onError: (e) => {
          if (e instanceof ApiError && e.status === 412 && e.problem.current) {
            replaceTask(client, e.problem.current);
            setConflict(e.problem.current);
          } else if (e instanceof ApiError) {
            setError(e);
          }
        },
      },
    );
  }

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    save(patchFor(base, values, zone), base.version);
  }

  function takeTheirs(current: Task) {
    setBase(current);
    setValues(toValues(current, zone));
    setConflict(null);
  }

  function keepMine(current: Task) {
    // My changes relative to what I started from, applied over the newer version.
    const patch = patchFor(base, values, zone);
    setBase(current);
    setConflict(null);
    save(patch, current.version);
  }

  const field = (name: string) => error?.field(name);
  return (
    <Dialog title="Edit task" onClose={onClose} variant="panel">
      <form onSubmit={submit} className="space-y-4" aria-describedby={conflict ? `${id}-conflict` : undefined}>
        {conflict && (
          <div id={`${id}-conflict`} role="alert" className="rounded-lg border border-amber-400 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-600 dark:bg-amber-950/60 dark:text-amber-100" data-testid="conflict">
            <p className="font-semibold">This task was changed elsewhere while you were editing it.</p>
            <p className="mt-1">The newer version (version {conflict.version}):</p>
            <ul className="mt-1 list-disc pl-5">
              <li>
                Title: <strong data-testid="conflict-title">{conflict.title}</strong>
              </li>
              <li>Priority: {conflict.priority}</li>
              <li>Due: {describeDue(conflict, zone) ?? "none"}</li>
              {conflict.tags.length > 0 && <li>Tags: {conflict.tags.map((t) => `#${t}`).join(" ")}</li>}
              {conflict.recurrence && <li>Repeats: {describeRecurrence(conflict.recurrence)}</li>}
              {conflict.completed && <li>Completed</li>}
            </ul>
            <div className="mt-3 flex flex-wrap gap-2">
              <button type="button" className="btn-secondary" onClick={() => takeTheirs(conflict)}>
                Use the newer version
              </button>
              <button type="button" className="btn-primary" onClick={() => keepMine(conflict)}>
                Apply my changes to it
              </button>
            </div>
          </div>
        )}
        <div className="space-y-1">
          <label htmlFor={`${id}-title`}>Title</label>
          <input
            id={`${id}-title`}
            className="input"
            value={values.title}
            onChange={(e) => set("title", e.target.value)}
            required
            maxLength={200}
            data-autofocus
            aria-invalid={field("title") ? true : undefined}
          />
          {field("title") && <p className="text-sm text-red-700 dark:text-red-400">{field("title")}</p>}
        </div>
        <div className="space-y-1">
          <label htmlFor={`${id}-description`}>Description</label>
          <textarea
            id={`${id}-description`}
            className="input min-h-24"
            value={values.description}
            onChange={(e) => set("description", e.target.value)}
            maxLength={10000}
          />
        </div>
        <fieldset className="grid grid-cols-2 gap-3">
          <legend className="mb-1 text-sm font-medium">Due ({zone})</legend>
          <div className="space-y-1">
            <label htmlFor={`${id}-date`}>Date</label>
            <input id={`${id}-date`} type="date" className="input" value={values.date} onChange={(e) => set("date", e.target.value)} />
          </div>
          <div className="space-y-1">
            <label htmlFor={`${id}-time`}>Time</label>
            <input
              id={`${id}-time`}
              type="time"
              className="input"
              value={values.time}
              disabled={!values.date}
              onChange={(e) => set("time", e.target.value)}
            />
          </div>
          {(field("due_at") ?? field("due_date")) && (
            <p className="col-span-2 text-sm text-red-700 dark:text-red-400">{field("due_at") ?? field("due_date")}</p>
          )}
        </fieldset>
        <div className="space-y-1">
          <label htmlFor={`${id}-priority`}>Priority</label>
          <select
            id={`${id}-priority`}
            className="input"
            value={values.priority}
            onChange={(e) => set("priority", e.target.value as EditorValues["priority"])}
          >
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </div>
        <div className="space-y-1">
          <label htmlFor={`${id}-tags`}>Tags</label>
          <input
            id={`${id}-tags`}
            className="input"
            value={values.tags}
            onChange={(e) => set("tags", e.target.value)}
            aria-describedby={`${id}-tags-hint`}
          />
          <p id={`${id}-tags-hint`} className="muted text-xs">
            Separated by spaces or commas, without spaces inside a tag.
          </p>
          {error?.problem.errors?.some((e) => e.field.startsWith("tags")) && (
            <p className="text-sm text-red-700 dark:text-red-400">{error.problem.errors.find((e) => e.field.startsWith("tags"))?.message}</p>
          )}
        </div>
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">Repeats</legend>
          <label htmlFor={`${id}-recurrence`} className="sr-only">
            Repeats
          </label>
          <select
            id={`${id}-recurrence`}
            className="input"
            value={values.recurrence}
            onChange={(e) => set("recurrence", e.target.value as EditorValues["recurrence"])}
          >
            <option value="none">Does not repeat</option>
            <option value="every">Every N days, weeks, months or years</option>
            <option value="weekdays">Every weekday (Mon–Fri)</option>
            <option value="on_weekdays">On chosen days of the week</option>
            <option value="month_day">On a day of the month</option>
          </select>
          {(values.recurrence === "every" || values.recurrence === "month_day") && (
            <div className="flex items-center gap-2">
              <label htmlFor={`${id}-interval`}>Every</label>
              <input
                id={`${id}-interval`}
                type="number"
                min={1}
                max={365}
                className="input w-20"
                value={values.interval}
                onChange={(e) => set("interval", Math.max(1, Number(e.target.value) || 1))}
              />
              {values.recurrence === "every" ? (
                <select
                  aria-label="Unit"
                  className="input w-32"
                  value={values.unit}
                  onChange={(e) => set("unit", e.target.value as EditorValues["unit"])}
                >
                  {(["day", "week", "month", "year"] as const).map((u) => (
                    <option key={u} value={u}>
                      {u}s
                    </option>
                  ))}
                </select>
              ) : (
                <span className="text-sm">months</span>
              )}
            </div>
          )}
          {values.recurrence === "month_day" && (
            <div className="flex items-center gap-2">
              <label htmlFor={`${id}-day`}>On day</label>
              <input
                id={`${id}-day`}
                type="number"
                min={1}
                max={31}
                className="input w-20"
                value={values.monthDay}
                onChange={(e) => set("monthDay", Math.min(31, Math.max(1, Number(e.target.value) || 1)))}
              />
            </div>
          )}
          {values.recurrence === "on_weekdays" && (
            <div className="flex flex-wrap gap-2">
              {WEEKDAYS.map((day) => (
                <label key={day} className="flex items-center gap-1 text-sm font-normal">
                  <input
                    type="checkbox"
                    checked={values.days.includes(day)}
                    onChange={(e) =>
                      set("days", e.target.checked ? WEEKDAYS.filter((d) => d === day || values.days.includes(d)) : values.days.filter((d) => d !== day))
                    }
                  />
                  {day}
                </label>
              ))}
            </div>
          )}
          {field("recurrence") && <p className="text-sm text-red-700 dark:text-red-400">{field("recurrence")}</p>}
        </fieldset>
        {error && !error.problem.errors?.length && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            {error.message}
          </p>
        )}
        <div className="flex gap-2 pt-2">
          <button type="submit" className="btn-primary" disabled={update.isPending || conflict !== null}>
            {update.isPending ? "Saving…" : "Save"}
          </button>
          <button type="button" className="btn-secondary" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
