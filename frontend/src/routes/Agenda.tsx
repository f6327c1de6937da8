// Today (due today or overdue) and Upcoming (the next 7 days, by day), in
// the person's time zone, across projects.
import { useMemo, useRef, useState } from "react";
import { useMe, useProjects, useAllTasks, useToggleComplete } from "../api/queries";
import type { Project, Task } from "../api/types";
import { ListStatus } from "../components/ListStatus";
import { QuickAdd } from "../components/QuickAdd";
import { TaskRow } from "../components/TaskRow";
import { useToast } from "../components/Toasts";
import { dateInZone, dueState } from "../lib/dates";
import { groupByDay } from "../lib/days";
import { useHiddenIds } from "../lib/pendingDeletes";
import { TaskEditor } from "./TaskEditor";
import { useDeleteTask } from "./useDeleteTask";

function useAgenda(query: string) {
  const me = useMe();
  const zone = me.data?.time_zone ?? "UTC";
  const list = useAllTasks(query);
  const hidden = useHiddenIds();
  const projects = useProjects("all");
  const tasks = useMemo(() => list.data?.pages.flatMap((p) => p.tasks).filter((t) => !hidden.has(t.id)) ?? [], [list.data, hidden]);
  const byId = useMemo(() => new Map((projects.data ?? []).map((p) => [p.id, p])), [projects.data]);
  return { zone, list, tasks, projectOf: (t: Task) => byId.get(t.project_id), projects: projects.data ?? [] };
}

function Group({
  title,
  id,
  tasks,
  zone,
  projectOf,
  empty,
  onEdit,
}: {
  title: string;
  id: string;
  tasks: Task[];
  zone: string;
  projectOf: (t: Task) => Project | undefined;
  empty?: string;
  onEdit: (t: Task) => void;
}) {
  const toast = useToast();
  const toggle = useToggleComplete((r) => toast({ tone: "error", message: r.message }));
  const remove = useDeleteTask();
  if (tasks.length === 0 && !empty) return null;
  return (
    <section aria-labelledby={id} className="space-y-2" data-testid="agenda-group">
      <h2 id={id} className="text-base font-semibold">
        {title} {tasks.length > 0 && <span className="muted text-sm font-normal">({tasks.length})</span>}
      </h2>
      {tasks.length === 0 ? (
        <p className="muted text-sm">{empty}</p>
      ) : (
        <ul className="card divide-y divide-slate-200 dark:divide-slate-800" aria-labelledby={id}>
          {tasks.map((task) => (
            <TaskRow
              key={task.id}
              task={task}
              zone={zone}
              project={projectOf(task)}
              onToggle={() => toggle.mutate(task)}
              onEdit={() => onEdit(task)}
              onDelete={() => remove(task)}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function Frame({ title, zone, projects, children, editing, setEditing, tasks }: {
  title: string;
  zone: string;
  projects: Project[];
  children: React.ReactNode;
  editing: Task | null;
  setEditing: (t: Task | null) => void;
  tasks: Task[];
}) {
  const quickAdd = useRef<HTMLInputElement>(null);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">{title}</h1>
      <QuickAdd zone={zone} inputRef={quickAdd} projects={projects} />
      {children}
      {editing && (
        <TaskEditor key={editing.id} task={tasks.find((t) => t.id === editing.id) ?? editing} zone={zone} onClose={() => setEditing(null)} />
      )}
    </div>
  );
}


export function Today() {
  const me = useMe();
  const zone = me.data?.time_zone ?? "UTC";
  const query = `status=pending&sort=due&limit=200&due_before=${dateInZone(zone, 1)}`;
  const { list, tasks, projectOf, projects } = useAgenda(query);
  const [editing, setEditing] = useState<Task | null>(null);
  const overdue = tasks.filter((t) => dueState(t, zone) === "overdue");
  const today = tasks.filter((t) => dueState(t, zone) !== "overdue");
  return (
    <Frame title="Today" zone={zone} projects={projects} editing={editing} setEditing={setEditing} tasks={tasks}>
      <ListStatus pending={list.isPending} error={list.error} retry={() => void list.refetch()} />
      {list.isSuccess && (
        <>
          <Group title="Overdue" id="today-overdue" tasks={overdue} zone={zone} projectOf={projectOf} onEdit={setEditing} />
          <Group
            title="Today"
            id="today-today"
            tasks={today}
            zone={zone}
            projectOf={projectOf}
            onEdit={setEditing}
            empty="Nothing else is due today."
          />
        </>
      )}
    </Frame>
  );
}

export function Upcoming() {
  const me = useMe();
  const zone = me.data?.time_zone ?? "UTC";
  const query = `status=pending&sort=due&limit=200&due_after=${dateInZone(zone, 0)}&due_before=${dateInZone(zone, 7)}`;
  const { list, tasks, projectOf, projects } = useAgenda(query);
  const [editing, setEditing] = useState<Task | null>(null);
  const days = groupByDay(tasks, zone);
  return (
    <Frame title="Upcoming" zone={zone} projects={projects} editing={editing} setEditing={setEditing} tasks={tasks}>
      <ListStatus pending={list.isPending} error={list.error} retry={() => void list.refetch()} />
      {list.isSuccess &&
        days.map((day) => (
          <Group
            key={day.date}
            title={day.label}
            id={`day-${day.date}`}
            tasks={day.tasks}
            zone={zone}
            projectOf={projectOf}
            onEdit={setEditing}
            empty="Nothing planned."
          />
        ))}
    </Frame>
  );
}
