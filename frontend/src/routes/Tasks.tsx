// The task list: quick add, filters/search/sort in the URL, inline
// complete/reopen, the editor panel, delete with undo, keyboard shortcuts.
import { useEffect, useMemo, useRef, useState } from "react";
import { useSearchParams } from "react-router";
import { useQueryClient } from "@tanstack/react-query";
import { api } from "../api/client";
import { hideTask, refusal, replaceTask, useMe, useTaskList, useToggleComplete, keys } from "../api/queries";
import { PRIORITIES, type Priority, type Task } from "../api/types";
import { DueChip, PriorityChip, RecurrenceChip, TagChip } from "../components/Chips";
import { Icon } from "../components/Icon";
import { QuickAdd } from "../components/QuickAdd";
import { useToast } from "../components/Toasts";
import { dateInZone, describeDue, dueState } from "../lib/dates";
import {
  activeFilterCount,
  DEFAULT_FILTERS,
  DUES,
  type Filters,
  filtersToApiQuery,
  filtersToParams,
  parseFilters,
  SORTS,
  STATUSES,
} from "../lib/filters";
import { isTypingOrDialog } from "../lib/keys";
import { useDebounced } from "../lib/useDebounced";
import { TaskEditor } from "./TaskEditor";

const UNDO_MS = 5000;

const STATUS_LABEL: Record<(typeof STATUSES)[number], string> = {
  pending: "To do",
  overdue: "Overdue",
  completed: "Done",
  all: "All",
};
const DUE_LABEL: Record<(typeof DUES)[number], string> = { any: "Any time", today: "Due today", week: "Next 7 days" };

export function Tasks() {
  const me = useMe();
  const zone = me.data?.time_zone ?? "UTC";
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => parseFilters(params), [params]);
  const setFilters = (change: Partial<Filters>) =>
    setParams(filtersToParams({ ...filters, ...change }), { replace: true });

  // Search typed here, written to the URL once typing pauses.
  const [search, setSearch] = useState(filters.q);
  const debouncedSearch = useDebounced(search, 250);
  useEffect(() => {
    if (debouncedSearch !== filters.q) setFilters({ q: debouncedSearch });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the typing settles
  }, [debouncedSearch]);
  const [tagText, setTagText] = useState(filters.tag);
  const debouncedTag = useDebounced(tagText, 300);
  useEffect(() => {
    if (debouncedTag !== filters.tag) setFilters({ tag: debouncedTag.replace(/^#/, "") });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the typing settles
  }, [debouncedTag]);

  const query = filtersToApiQuery(filters, zone).toString();
  const list = useTaskList(query);
  const client = useQueryClient();
  const toast = useToast();
  const quickAdd = useRef<HTMLInputElement>(null);
  const searchBox = useRef<HTMLInputElement>(null);
  const [editing, setEditing] = useState<Task | null>(null);
  const [selected, setSelected] = useState(-1);
  const rows = useRef<(HTMLButtonElement | null)[]>([]);
  const painted = useRef(false);
  const [showFilters, setShowFilters] = useState(false);

  const toggle = useToggleComplete((r) => toast({ tone: "error", message: r.message }));
  const tasks = useMemo(() => list.data?.pages.flatMap((p) => p.tasks) ?? [], [list.data]);

  useEffect(() => {
    if (!painted.current && list.isSuccess) {
      painted.current = true;
      // Marks the first paint of the list, for the end-to-end timing.
      requestAnimationFrame(() => performance.mark("taskspin:list-painted"));
    }
  }, [list.isSuccess]);

  function remove(task: Task) {
    const restore = hideTask(client, task.id);
    let undone = false;
    const commit = () => {
      window.removeEventListener("pagehide", commit);
      if (undone) return;
      undone = true;
      api(`/api/tasks/${task.id}`, { method: "DELETE", version: task.version, keepalive: true })
        .then(() => client.invalidateQueries({ queryKey: keys.tasks }))
        .catch((error: unknown) => {
          restore();
          const r = refusal(error, "deleting it");
          if (r.current) replaceTask(client, r.current);
          toast({ tone: "error", message: r.message });
        });
    };
    const timer = window.setTimeout(commit, UNDO_MS);
    window.addEventListener("pagehide", commit);
    toast(
      {
        tone: "info",
        message: `Deleted “${task.title}”.`,
        action: {
          label: "Undo",
          run: () => {
            if (undone) return;
            undone = true;
            window.clearTimeout(timer);
            window.removeEventListener("pagehide", commit);
            restore();
          },
        },
      },
      UNDO_MS,
    );
  }

  const selectedTask = selected >= 0 ? tasks[selected] : undefined;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTypingOrDialog(event)) return;
      const move = (to: number) => {
        if (tasks.length === 0) return;
        const index = Math.max(0, Math.min(tasks.length - 1, to));
        setSelected(index);
        rows.current[index]?.focus();
      };
      switch (event.key) {
        case "n":
          event.preventDefault();
          quickAdd.current?.focus();
          break;
        case "/":
          event.preventDefault();
          searchBox.current?.focus();
          break;
        case "j":
          event.preventDefault();
          move(selected + 1);
          break;
        case "k":
          event.preventDefault();
          move(selected - 1);
          break;
        case "x":
          if (selectedTask) {
            event.preventDefault();
            toggle.mutate(selectedTask);
          }
          break;
        case "Enter":
          if (selectedTask && document.activeElement === document.body) {
            event.preventDefault();
            setEditing(selectedTask);
          }
          break;
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [tasks, selected, selectedTask, toggle]);

  const filterCount = activeFilterCount(filters);
  const filtered = filterCount > 0;
  return (
    <div className="space-y-4">
      <h1 className="sr-only">Tasks</h1>
      <QuickAdd zone={zone} inputRef={quickAdd} />

      <section aria-label="Filters" className="flex flex-wrap items-end gap-2">
        <div className="min-w-40 flex-1">
          <label htmlFor="search" className="sr-only">
            Search tasks
          </label>
          <input
            id="search"
            ref={searchBox}
            type="search"
            className="input"
            placeholder="Search ( / )"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </div>
        <button
          type="button"
          className="btn-secondary sm:hidden"
          aria-expanded={showFilters}
          aria-controls="filter-fields"
          onClick={() => setShowFilters((shown) => !shown)}
        >
          Filters{filterCount > 0 ? ` (${filterCount})` : ""}
        </button>
        <div id="filter-fields" className={`${showFilters ? "flex" : "hidden"} w-full flex-wrap items-end gap-2 sm:flex sm:w-auto`}>
        <Select label="Status" value={filters.status} onChange={(v) => setFilters({ status: v as Filters["status"] })}>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABEL[s]}
            </option>
          ))}
        </Select>
        <Select
          label="Priority"
          value={filters.priority.join(",")}
          onChange={(v) => setFilters({ priority: v ? (v.split(",") as Priority[]) : [] })}
        >
          <option value="">Any priority</option>
          <option value="urgent,high">High and urgent</option>
          {[...PRIORITIES].reverse().map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
          {filters.priority.length > 1 && !["urgent,high"].includes(filters.priority.join(",")) && (
            <option value={filters.priority.join(",")}>{filters.priority.join(", ")}</option>
          )}
        </Select>
        <Select label="Due" value={filters.due} onChange={(v) => setFilters({ due: v as Filters["due"] })}>
          {DUES.map((d) => (
            <option key={d} value={d}>
              {DUE_LABEL[d]}
            </option>
          ))}
        </Select>
        <div className="w-28">
          <label htmlFor="tag-filter" className="text-xs">
            Tag
          </label>
          <input id="tag-filter" className="input" placeholder="#tag" value={tagText} onChange={(e) => setTagText(e.target.value)} />
        </div>
        <Select label="Sort" value={filters.sort} onChange={(v) => setFilters({ sort: v as Filters["sort"], order: "" })}>
          {SORTS.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </Select>
        <button
          type="button"
          className="btn-secondary"
          onClick={() => setFilters({ order: effectiveOrder(filters) === "asc" ? "desc" : "asc" })}
          aria-label={`Order: ${effectiveOrder(filters) === "asc" ? "ascending" : "descending"}; switch`}
        >
          {effectiveOrder(filters) === "asc" ? "↑" : "↓"}
        </button>
        </div>
        {filtered && (
          <button
            type="button"
            className="btn-ghost"
            onClick={() => {
              setSearch("");
              setTagText("");
              setParams(filtersToParams(DEFAULT_FILTERS), { replace: true });
            }}
          >
            Clear filters
          </button>
        )}
      </section>

      {list.isPending && (
        <p className="muted" aria-busy="true">
          Loading tasks…
        </p>
      )}
      {list.isError && (
        <p role="alert" className="text-red-700 dark:text-red-400">
          Tasks could not be loaded: {list.error.message}{" "}
          <button type="button" className="underline" onClick={() => void list.refetch()}>
            Try again
          </button>
        </p>
      )}
      {list.isSuccess && tasks.length === 0 && (filtered ? <NoMatch /> : <EmptyState zone={zone} />)}
      {tasks.length > 0 && (
        <ul className="card divide-y divide-slate-200 dark:divide-slate-800" aria-label="Tasks" data-testid="task-list">
          {tasks.map((task, index) => (
            <TaskRow
              key={task.id}
              task={task}
              zone={zone}
              selected={index === selected}
              rowRef={(el) => {
                rows.current[index] = el;
              }}
              onToggle={() => toggle.mutate(task)}
              onEdit={() => {
                setSelected(index);
                setEditing(task);
              }}
              onDelete={() => remove(task)}
              onFocus={() => setSelected(index)}
            />
          ))}
        </ul>
      )}
      {list.hasNextPage && (
        <button type="button" className="btn-secondary w-full" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {list.isFetchingNextPage ? "Loading…" : "Load more"}
        </button>
      )}
      <p className="muted hidden text-xs sm:block">
        Press <kbd>?</kbd> for keyboard shortcuts.
      </p>
      {editing && (
        <TaskEditor
          key={`${editing.id}`}
          task={tasks.find((t) => t.id === editing.id) ?? editing}
          zone={zone}
          onClose={() => setEditing(null)}
        />
      )}
    </div>
  );
}

function effectiveOrder(filters: Filters): "asc" | "desc" {
  if (filters.order) return filters.order;
  return filters.sort === "priority" || filters.sort === "created" || filters.sort === "updated" ? "desc" : "asc";
}

function Select({
  label,
  value,
  onChange,
  children,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  children: React.ReactNode;
}) {
  const id = `filter-${label.toLowerCase()}`;
  return (
    <div>
      <label htmlFor={id} className="text-xs">
        {label}
      </label>
      <select id={id} className="input" value={value} onChange={(e) => onChange(e.target.value)}>
        {children}
      </select>
    </div>
  );
}

function TaskRow({
  task,
  zone,
  selected,
  rowRef,
  onToggle,
  onEdit,
  onDelete,
  onFocus,
}: {
  task: Task;
  zone: string;
  selected: boolean;
  rowRef: (el: HTMLButtonElement | null) => void;
  onToggle: () => void;
  onEdit: () => void;
  onDelete: () => void;
  onFocus: () => void;
}) {
  const due = describeDue(task, zone);
  const state = dueState(task, zone);
  return (
    <li
      className={`flex items-start gap-3 px-3 py-2.5 ${selected ? "bg-indigo-50 dark:bg-indigo-950/40" : ""}`}
      data-testid="task"
      data-task-id={task.id}
      data-completed={task.completed}
    >
      <input
        type="checkbox"
        className="mt-1 size-5 shrink-0 accent-indigo-700"
        checked={task.completed}
        onChange={onToggle}
        aria-label={`${task.completed ? "Reopen" : "Complete"} “${task.title}”`}
      />
      <div className="min-w-0 flex-1">
        <button
          ref={rowRef}
          type="button"
          onClick={onEdit}
          onFocus={onFocus}
          className={`block w-full rounded text-left ${task.completed ? "muted line-through" : ""}`}
          aria-label={`Edit “${task.title}”`}
        >
          <span className="break-words" data-testid="task-title">
            {task.title}
          </span>
        </button>
        <div className="mt-1 flex flex-wrap gap-1.5">
          {due && <DueChip label={due} state={state} />}
          <PriorityChip priority={task.priority} />
          {task.tags.map((tag) => (
            <TagChip key={tag} tag={tag} />
          ))}
          {task.recurrence && <RecurrenceChip recurrence={task.recurrence} />}
        </div>
      </div>
      <button type="button" className="btn-ghost shrink-0 text-sm" onClick={onDelete} aria-label={`Delete “${task.title}”`}>
        <Icon name="trash" />
      </button>
    </li>
  );
}

function EmptyState({ zone }: { zone: string }) {
  // An ISO date a fortnight ahead: an example that is never in the past.
  const isoExample = dateInZone(zone, 14);
  return (
    <div className="card space-y-3 p-6" data-testid="empty-state">
      <h2 className="text-lg font-semibold">Nothing to do yet</h2>
      <p className="muted">Type a task in the bar above. One line can say everything:</p>
      <ul className="space-y-1 text-sm">
        <li>
          <code className="rounded bg-slate-100 px-1 dark:bg-slate-800">Call mom tomorrow 6pm !high #family</code>
        </li>
        <li>
          <code className="rounded bg-slate-100 px-1 dark:bg-slate-800">Pay rent every month on the 1st</code>
        </li>
        <li>
          <code className="rounded bg-slate-100 px-1 dark:bg-slate-800">Submit report fri 17:00 p1 #work</code>
        </li>
      </ul>
      <p className="muted text-sm">
        Dates: today, tonight, tomorrow, fri, next friday, in 3 days, dec 25, {isoExample}, at 5pm. Priority: <code>!low</code> …{" "}
        <code>!urgent</code> or <code>p1</code>–<code>p4</code>. Tags: <code>#word</code>. Repeats: every day, every monday, every 2
        weeks. “Quoted text” stays as written.
      </p>
    </div>
  );
}

function NoMatch() {
  return (
    <div className="card p-6 text-center" data-testid="no-match">
      <p>No tasks match these filters.</p>
    </div>
  );
}
