// The task list: quick add, filters/search/sort in the URL, inline
// complete/reopen, the editor panel, delete with undo, keyboard shortcuts.
import { useEffect, useMemo, useRef, useState } from "react";
import { useSearchParams } from "react-router";
import { useMe, useProjects, useTaskList, useToggleComplete } from "../api/queries";
import type { Task } from "../api/types";
import { FilterBar } from "../components/FilterBar";
import { ListStatus } from "../components/ListStatus";
import { QuickAdd } from "../components/QuickAdd";
import { TaskRow } from "../components/TaskRow";
import { useToast } from "../components/Toasts";
import { dateInZone } from "../lib/dates";
import { activeFilterCount, DEFAULT_FILTERS, type Filters, filtersToApiQuery, filtersToParams, parseFilters, SORTS } from "../lib/filters";
import { isTypingOrDialog } from "../lib/keys";
import { useHiddenIds } from "../lib/pendingDeletes";
import { TaskEditor } from "./TaskEditor";
import { useDeleteTask } from "./useDeleteTask";

/** Manual order means something only among siblings: not offered across projects. */
const ALL_SORTS = SORTS.filter((s) => s !== "manual");

export function Tasks() {
  const me = useMe();
  const zone = me.data?.time_zone ?? "UTC";
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => parseFilters(params), [params]);
  const setFilters = (change: Partial<Filters>) =>
    setParams(filtersToParams({ ...filters, ...change }), { replace: true });

  const query = filtersToApiQuery(filters, zone).toString();
  const list = useTaskList(query);
  const toast = useToast();
  const remove = useDeleteTask();
  const hidden = useHiddenIds();
  const projects = useProjects("all");
  const projectById = useMemo(() => new Map((projects.data ?? []).map((p) => [p.id, p])), [projects.data]);
  const quickAdd = useRef<HTMLInputElement>(null);
  const searchBox = useRef<HTMLInputElement>(null);
  const [editing, setEditing] = useState<Task | null>(null);
  const [selected, setSelected] = useState(-1);
  const rows = useRef<(HTMLButtonElement | null)[]>([]);
  const painted = useRef(false);

  const toggle = useToggleComplete((r) => toast({ tone: "error", message: r.message }));
  const tasks = useMemo(
    () => list.data?.pages.flatMap((p) => p.tasks).filter((t) => !hidden.has(t.id)) ?? [],
    [list.data, hidden],
  );

  useEffect(() => {
    if (!painted.current && list.isSuccess) {
      painted.current = true;
      // Marks the first paint of the list, for the end-to-end timing.
      requestAnimationFrame(() => performance.mark("taskspin:list-painted"));
    }
  }, [list.isSuccess]);

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
      <QuickAdd zone={zone} inputRef={quickAdd} projects={projects.data ?? []} />

      <FilterBar
        filters={filters}
        setFilters={setFilters}
        onClear={() => setParams(filtersToParams(DEFAULT_FILTERS), { replace: true })}
        sorts={ALL_SORTS}
        searchRef={searchBox}
      />

      <ListStatus pending={list.isPending} error={list.error} retry={() => void list.refetch()} />
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
              project={projectById.get(task.project_id)}
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
