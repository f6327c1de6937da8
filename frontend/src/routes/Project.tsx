// A project (or the Inbox): its tasks by section as a list (subtasks
// indented under their parent, collapsible) or as a board (sections as
// columns). Tasks move by drag and drop and by keyboard (Alt+Arrow keys),
// each move sent with the task's version and announced; sections are added,
// renamed, reordered and deleted here; the project is renamed, recoloured,
// archived, restored and deleted here.
import { type DragEvent, type KeyboardEvent, type SyntheticEvent, useEffect, useId, useMemo, useRef, useState } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { isApiError } from "../api/client";
import {
  useAllTasks,
  useChangeProject,
  useCreateTask,
  useMe,
  useMoveTask,
  useProject,
  useProjects,
  useSectionMutations,
  useSections,
  useTask,
  useToggleComplete,
} from "../api/queries";
import type { Project, Section, Task } from "../api/types";
import { Dialog } from "../components/Dialog";
import { FilterBar } from "../components/FilterBar";
import { Icon } from "../components/Icon";
import { ColorDot } from "../components/ProjectColor";
import { DeleteProjectDialog, ProjectDialog } from "../components/ProjectDialogs";
import { ListStatus } from "../components/ListStatus";
import { QuickAdd } from "../components/QuickAdd";
import { TaskRow } from "../components/TaskRow";
import { useToast } from "../components/Toasts";
import { type Filters, filtersToApiQuery, filtersToParams, parseFilters, PROJECT_FILTERS, SORTS } from "../lib/filters";
import { isTypingOrDialog } from "../lib/keys";
import { afterFor, boardTarget, describeMove, dropIndex, positionAt, reordered, stepTarget } from "../lib/moves";
import { useHiddenIds } from "../lib/pendingDeletes";
import { descendantIds, groupBySection, type SectionGroup, type TaskNode } from "../lib/tree";
import { TaskEditor } from "./TaskEditor";
import { useDeleteTask } from "./useDeleteTask";

/** A top-level task is level 1; the server allows 4. */
const MAX_DEPTH = 3;

export function ProjectRoute() {
  const { id } = useParams();
  const project = useProject(Number(id));
  if (!/^\d+$/.test(id ?? "")) {
    return (
      <div className="p-6">
        <h1 className="text-xl font-semibold">No such project</h1>
        <Link className="btn-primary mt-4" to="/inbox">
          Go to the Inbox
        </Link>
      </div>
    );
  }
  if (project.isPending) return <p className="muted">Loading…</p>;
  if (project.isError) {
    return (
      <div className="p-6" role="alert">
        <h1 className="text-xl font-semibold">{isApiError(project.error, 404) ? "No such project" : "The project could not be loaded"}</h1>
        <p className="muted mt-2">{project.error.message}</p>
        <Link className="btn-primary mt-4" to="/inbox">
          Go to the Inbox
        </Link>
      </div>
    );
  }
  return <ProjectView key={project.data.id} project={project.data} />;
}

export function InboxRoute() {
  const projects = useProjects("active");
  const inbox = projects.data?.find((p) => p.inbox);
  if (projects.isError) return <p role="alert">The Inbox could not be loaded: {projects.error.message}</p>;
  if (!inbox) return <p className="muted">Loading…</p>;
  return <ProjectView key={inbox.id} project={inbox} />;
}

type View = "list" | "board";

interface Drag {
  id: number;
}

function ProjectView({ project }: { project: Project }) {
  const me = useMe();
  const zone = me.data?.time_zone ?? "UTC";
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const view: View = params.get("view") === "board" ? "board" : "list";
  const filters = useMemo(() => parseFilters(params, PROJECT_FILTERS), [params]);
  const write = (next: Filters, nextView: View = view) => {
    const out = filtersToParams(next, PROJECT_FILTERS);
    if (nextView === "board") out.set("view", "board");
    setParams(out, { replace: true });
  };
  const setFilters = (change: Partial<Filters>) => write({ ...filters, ...change });

  const apiQuery = filtersToApiQuery(filters, zone);
  apiQuery.set("project", String(project.id));
  apiQuery.set("limit", "200");
  const list = useAllTasks(apiQuery.toString());
  const sectionsQuery = useSections(project.id);
  const sections = useMemo(() => sectionsQuery.data ?? [], [sectionsQuery.data]);
  const projects = useProjects("all");
  const hidden = useHiddenIds();
  const tasks = useMemo(() => list.data?.pages.flatMap((p) => p.tasks).filter((t) => !hidden.has(t.id)) ?? [], [list.data, hidden]);
  const manual = filters.sort === "manual";
  const groups = useMemo(() => groupBySection(sections, tasks, manual), [sections, tasks, manual]);

  const toast = useToast();
  const error = (message: string) => toast({ tone: "error", message });
  const toggle = useToggleComplete((r) => error(r.message));
  const remove = useDeleteTask();
  const move = useMoveTask((r) => error(r.message));
  const sectionOps = useSectionMutations(project.id, error);
  const change = useChangeProject();
  const [editing, setEditing] = useState<Task | null>(null);
  // ?task=<id> (a link from a notification or the calendar): that task's
  // editor is open, whether the filters show the task or not.
  const linkedId = Number(params.get("task") ?? "");
  const linked = useTask(linkedId);
  const editorTask = editing ?? linked.data ?? null;
  function closeEditor() {
    setEditing(null);
    if (params.has("task")) {
      const next = new URLSearchParams(params);
      next.delete("task");
      setParams(next, { replace: true });
    }
  }
  const [dialog, setDialog] = useState<"edit" | "delete" | null>(null);
  const [deletingSection, setDeletingSection] = useState<Section | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const [collapsed, setCollapsed] = useState<ReadonlySet<number>>(new Set());
  const [drag, setDrag] = useState<Drag | null>(null);
  const [mark, setMark] = useState<{ id: number; before: boolean } | null>(null);
  // The task just moved keeps the focus while the lists re-render around it:
  // when its row remounts, the focus it had falls to the body and comes back.
  // Focus the person has put elsewhere meanwhile stays where it is.
  const refocus = useRef<number | null>(null);
  const quickAdd = useRef<HTMLInputElement>(null);
  const searchBox = useRef<HTMLInputElement>(null);
  const hintId = useId();

  useEffect(() => {
    const wanted = refocus.current;
    if (wanted === null) return;
    const target = document.querySelector<HTMLElement>(`[data-move-handle="${wanted}"]`);
    const focused = document.activeElement;
    if (focused !== null && focused !== document.body) {
      if (focused !== target) refocus.current = null;
      return;
    }
    target?.focus();
  }, [tasks, view]);

  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (isTypingOrDialog(event)) return;
      if (event.key === "n") {
        event.preventDefault();
        quickAdd.current?.focus();
      } else if (event.key === "/") {
        event.preventDefault();
        searchBox.current?.focus();
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  const sectionName = (id: number | null) => (id === null ? "No section" : (sections.find((s) => s.id === id)?.name ?? "No section"));

  /** Puts `task` at index `to` of `siblings` (the destination list, in order), at `dest`. */
  function place(task: Task, siblings: readonly Task[], to: number, dest: { section_id?: number | null; parent_id?: number | null }, where: string) {
    const order = siblings.map((t) => t.id);
    const rest = siblings.filter((t) => t.id !== task.id);
    const at = Math.max(0, Math.min(rest.length, to));
    refocus.current = task.id;
    window.setTimeout(() => {
      if (refocus.current === task.id) refocus.current = null;
    }, 3000);
    move.mutate({ task, move: { ...dest, after: afterFor(order, task.id, at) }, position: positionAt(rest.map((t) => t.position), at) });
    setAnnouncement(describeMove(task.title, at, rest.length + 1, where));
  }

  function whereOf(node: TaskNode, parent: TaskNode | null): string {
    return parent ? `the subtasks of “${parent.task.title}”` : sectionName(node.task.section_id);
  }

  // ---- list: Alt+ArrowUp/Down among siblings
  function listKey(event: KeyboardEvent, node: TaskNode, siblings: readonly TaskNode[], parent: TaskNode | null) {
    if (!event.altKey || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) return;
    event.preventDefault();
    if (!manual) {
      setAnnouncement("Tasks move only in manual order: choose Sort: manual.");
      return;
    }
    const order = siblings.map((n) => n.task.id);
    const to = stepTarget(order, node.task.id, event.key === "ArrowUp" ? "up" : "down");
    if (to === null) {
      setAnnouncement(`“${node.task.title}” is already ${event.key === "ArrowUp" ? "first" : "last"}.`);
      return;
    }
    place(node.task, siblings.map((n) => n.task), to, {}, whereOf(node, parent));
  }

  // ---- board: Alt+Arrow keys within and across columns
  function boardKey(event: KeyboardEvent, task: Task) {
    if (!event.altKey || !["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight"].includes(event.key)) return;
    event.preventDefault();
    const direction = event.key.slice(5).toLowerCase() as "up" | "down" | "left" | "right";
    const columns = groups.map((g) => g.nodes.map((n) => n.task.id));
    const target = boardTarget(columns, task.id, direction);
    if (target === null) {
      setAnnouncement(`“${task.title}” cannot move ${direction}.`);
      return;
    }
    const group = groups[target.column];
    if (!group) return;
    const crossing = direction === "left" || direction === "right";
    if (!crossing && !manual) {
      setAnnouncement("Cards move up and down only in manual order: choose Sort: manual.");
      return;
    }
    place(
      task,
      group.nodes.map((n) => n.task),
      target.index,
      crossing ? { section_id: group.section?.id ?? null } : {},
      group.section?.name ?? "No section",
    );
  }

  // ---- drag and drop (list rows, board cards, section areas)
  const draggedTask = drag ? tasks.find((t) => t.id === drag.id) : undefined;
  const forbidden = useMemo(() => (drag ? new Set([drag.id, ...descendantIds(tasks, drag.id)]) : new Set<number>()), [drag, tasks]);

  function dragStart(event: DragEvent<HTMLElement>, task: Task) {
    event.stopPropagation();
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", String(task.id));
    setDrag({ id: task.id });
  }
  function dragEnd() {
    setDrag(null);
    setMark(null);
  }
  function dragOverRow(event: DragEvent<HTMLElement>, node: TaskNode) {
    if (!drag || forbidden.has(node.task.id)) return;
    if (!manual && view === "list") return;
    event.preventDefault();
    event.stopPropagation();
    event.dataTransfer.dropEffect = "move";
    const rect = event.currentTarget.getBoundingClientRect();
    const before = event.clientY < rect.top + rect.height / 2;
    if (mark?.id !== node.task.id || mark.before !== before) setMark({ id: node.task.id, before });
  }
  function dropOnRow(event: DragEvent<HTMLElement>, node: TaskNode, siblings: readonly TaskNode[], parent: TaskNode | null) {
    if (!draggedTask || forbidden.has(node.task.id)) return;
    event.preventDefault();
    event.stopPropagation();
    const rect = event.currentTarget.getBoundingClientRect();
    const before = event.clientY < rect.top + rect.height / 2;
    const order = siblings.map((n) => n.task.id);
    const to = dropIndex(order, draggedTask.id, node.task.id, before);
    place(
      draggedTask,
      siblings.map((n) => n.task),
      to,
      { section_id: node.task.section_id, parent_id: parent ? parent.task.id : node.task.parent_id },
      whereOf(node, parent),
    );
    dragEnd();
  }
  function dragOverGroup(event: DragEvent<HTMLElement>) {
    if (!drag) return;
    if (!manual && view === "list") return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
  }
  function dropOnGroup(event: DragEvent<HTMLElement>, group: SectionGroup) {
    if (!draggedTask) return;
    event.preventDefault();
    const siblings = group.nodes.map((n) => n.task);
    place(draggedTask, siblings, siblings.length, { section_id: group.section?.id ?? null, parent_id: null }, group.section?.name ?? "No section");
    dragEnd();
  }

  function moveSection(section: Section, direction: "up" | "down") {
    const order = sections.map((s) => s.id);
    const to = stepTarget(order, section.id, direction);
    if (to === null) return;
    sectionOps.move.mutate({ section, after: afterFor(order, section.id, to), order: reordered(order, section.id, to) });
    setAnnouncement(`Moved section “${section.name}” to position ${to + 1} of ${order.length}.`);
  }

  function toggleCollapsed(id: number) {
    setCollapsed((was) => {
      const next = new Set(was);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }

  const rowProps = (task: Task) => ({
    task,
    zone,
    onToggle: () => toggle.mutate(task),
    onEdit: () => setEditing(task),
    onDelete: () => remove(task),
    hintId,
    dragging: drag?.id === task.id,
    dropMark: mark?.id === task.id ? (mark.before ? ("before" as const) : ("after" as const)) : null,
  });

  const archived = project.archived;
  const count = tasks.length;
  return (
    <div className="space-y-4" data-testid="project-page" data-project-id={project.id}>
      <div className="flex flex-wrap items-center gap-2">
        <h1 className="flex min-w-0 items-center gap-2 text-2xl font-semibold">
          {!project.inbox && <ColorDot color={project.color} className="size-3.5" />}
          <span className="truncate">{project.name}</span>
        </h1>
        {archived && <span className="chip bg-amber-100 text-amber-900 dark:bg-amber-900/60 dark:text-amber-100">Archived</span>}
        <div className="ml-auto flex flex-wrap items-center gap-1">
          <div role="group" aria-label="View" className="flex rounded-lg border border-slate-300 p-0.5 dark:border-slate-600">
            {(["list", "board"] as const).map((v) => (
              <button
                key={v}
                type="button"
                aria-pressed={view === v}
                onClick={() => write(filters, v)}
                className={`btn px-2 py-1 ${view === v ? "bg-slate-200 dark:bg-slate-700" : "hover:bg-slate-100 dark:hover:bg-slate-800"}`}
              >
                <Icon name={v} />
                {v === "list" ? "List" : "Board"}
              </button>
            ))}
          </div>
          {!project.inbox && (
            <>
              <button type="button" className="btn-ghost" onClick={() => setDialog("edit")} aria-label="Edit project">
                <Icon name="pencil" />
                <span className="hidden sm:inline">Edit</span>
              </button>
              <button
                type="button"
                className="btn-ghost"
                disabled={change.isPending}
                onClick={() =>
                  change.mutate(
                    { project, change: archived ? "restore" : "archive" },
                    {
                      onSuccess: (p) => toast({ tone: "info", message: p.archived ? `Archived “${p.name}”.` : `Restored “${p.name}”.` }, 3000),
                      onError: (e) => error(`The project was not ${archived ? "restored" : "archived"}: ${e.message}`),
                    },
                  )
                }
              >
                <Icon name="archive" />
                {archived ? "Restore" : "Archive"}
              </button>
              <button type="button" className="btn-ghost" onClick={() => setDialog("delete")} aria-label="Delete project…">
                <Icon name="trash" />
                <span className="hidden sm:inline">Delete…</span>
              </button>
            </>
          )}
        </div>
      </div>
      {archived && (
        <p className="rounded-lg border border-amber-400 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-600 dark:bg-amber-950/60 dark:text-amber-100" role="note">
          This project is archived: it is not in the sidebar. Restore it to work in it again.
        </p>
      )}
      <QuickAdd zone={zone} inputRef={quickAdd} project={project} projects={projects.data ?? []} />
      <FilterBar
        filters={filters}
        setFilters={setFilters}
        onClear={() => write(PROJECT_FILTERS)}
        sorts={SORTS}
        searchRef={searchBox}
      />
      <p id={hintId} className="sr-only">
        {view === "board"
          ? "Alt+Arrow Up or Down moves the card in its column; Alt+Arrow Left or Right moves it to the next column."
          : "Alt+Arrow Up or Down moves the task among its siblings."}
      </p>
      {!manual && (
        <p className="muted text-sm">
          Sorted by {filters.sort}.{" "}
          <button type="button" className="underline" onClick={() => setFilters({ sort: "manual", order: "" })}>
            Use manual order
          </button>{" "}
          to drag tasks into place.
        </p>
      )}
      <ListStatus pending={list.isPending || sectionsQuery.isPending} error={list.error} retry={() => void list.refetch()} />
      {list.isSuccess && count === 0 && sections.length === 0 && (
        <p className="card muted p-6 text-center" data-testid="project-empty">
          No tasks here{filters.status === "pending" ? " to do" : ""}. Add one above{project.inbox ? "" : `, or type +${project.name.replace(/\s+/g, "")} in any quick add`}.
        </p>
      )}

      {sectionsQuery.isError && (
        <p role="alert" className="text-red-700 dark:text-red-400">
          Sections could not be loaded: {sectionsQuery.error.message}
        </p>
      )}
      {!sectionsQuery.isSuccess ? null : view === "list" ? (
        <div className="space-y-5" data-testid="project-list">
          {groups.map((group, index) => (
            <section
              key={group.section?.id ?? "none"}
              aria-labelledby={group.section ? `section-${group.section.id}` : undefined}
              aria-label={group.section ? undefined : "No section"}
              data-testid="section"
              data-section-id={group.section?.id ?? "none"}
              onDragOver={dragOverGroup}
              onDrop={(e) => dropOnGroup(e, group)}
              className="space-y-2"
            >
              {group.section && (
                <SectionHeader
                  section={group.section}
                  count={countAll(group.nodes)}
                  first={index === 1}
                  last={index === groups.length - 1}
                  layout="list"
                  onRename={(name) => sectionOps.rename.mutate({ section: group.section as Section, name })}
                  onMove={(d) => moveSection(group.section as Section, d)}
                  onDelete={() => setDeletingSection(group.section)}
                />
              )}
              {group.nodes.length > 0 ? (
                <ul className="card divide-y divide-slate-200 dark:divide-slate-800" aria-label={`Tasks in ${group.section?.name ?? "no section"}`}>
                  {group.nodes.map((node) => (
                    <TreeItem
                      key={node.task.id}
                      node={node}
                      siblings={group.nodes}
                      parent={null}
                      collapsed={collapsed}
                      onCollapse={toggleCollapsed}
                      rowProps={rowProps}
                      draggable={manual && !archived}
                      onKey={listKey}
                      onDragStart={dragStart}
                      onDragEnd={dragEnd}
                      onDragOver={dragOverRow}
                      onDrop={dropOnRow}
                    />
                  ))}
                </ul>
              ) : (
                group.section && (
                  <p className={`muted rounded-lg border border-dashed border-slate-300 p-3 text-sm dark:border-slate-600 ${drag ? "bg-indigo-50 dark:bg-indigo-950/40" : ""}`}>
                    No tasks in this section{drag ? ": drop here" : ""}.
                  </p>
                )
              )}
            </section>
          ))}
          <AddSection onAdd={(name) => sectionOps.create.mutate(name)} pending={sectionOps.create.isPending} />
        </div>
      ) : (
        <div className="relative -mx-3 overflow-x-auto px-3 pb-2 sm:mx-0 sm:px-0" data-testid="project-board">
          <div className="flex items-start gap-3">
            {groups.map((group, index) => (
              <section
                key={group.section?.id ?? "none"}
                className={`card flex w-72 shrink-0 flex-col gap-2 bg-slate-50 p-2 dark:bg-slate-900 ${drag ? "ring-1 ring-slate-300 dark:ring-slate-600" : ""}`}
                aria-labelledby={`column-${group.section?.id ?? "none"}`}
                data-testid="column"
                data-section-id={group.section?.id ?? "none"}
                onDragOver={dragOverGroup}
                onDrop={(e) => dropOnGroup(e, group)}
              >
                {group.section ? (
                  <SectionHeader
                    section={group.section}
                    count={group.nodes.length}
                    first={index === 1}
                    last={index === groups.length - 1}
                    layout="board"
                    onRename={(name) => sectionOps.rename.mutate({ section: group.section as Section, name })}
                    onMove={(d) => moveSection(group.section as Section, d)}
                    onDelete={() => setDeletingSection(group.section)}
                  />
                ) : (
                  <h2 id="column-none" className="px-1 text-sm font-semibold">
                    No section <span className="muted font-normal">({group.nodes.length})</span>
                  </h2>
                )}
                <ul className="min-h-12 space-y-2" aria-label={`Cards in ${group.section?.name ?? "no section"}`}>
                  {group.nodes.map((node) => (
                    <TaskRow
                      key={node.task.id}
                      {...rowProps(node.task)}
                      className="card shadow-sm"
                      draggable={!archived}
                      onTitleKeyDown={(e) => boardKey(e, node.task)}
                      onDragStart={(e) => dragStart(e, node.task)}
                      onDragEnd={dragEnd}
                      onDragOver={(e) => {
                        if (!manual && drag && !forbidden.has(node.task.id)) {
                          e.preventDefault();
                          return;
                        }
                        dragOverRow(e, node);
                      }}
                      onDrop={(e) => {
                        if (!manual) return;
                        dropOnRow(e, node, group.nodes, null);
                      }}
                    />
                  ))}
                </ul>
              </section>
            ))}
            <div className="w-72 shrink-0">
              <AddSection onAdd={(name) => sectionOps.create.mutate(name)} pending={sectionOps.create.isPending} />
            </div>
          </div>
        </div>
      )}

      <p className="sr-only" aria-live="polite" data-testid="announcer">
        {announcement}
      </p>

      {linked.isError && params.has("task") && (
        <p role="alert" className="text-red-700 dark:text-red-400">
          The linked task could not be opened: {linked.error.message}
        </p>
      )}
      {editorTask && (
        <TaskEditor key={editorTask.id} task={tasks.find((t) => t.id === editorTask.id) ?? editorTask} zone={zone} onClose={closeEditor} />
      )}
      {dialog === "edit" && <ProjectDialog project={project} onClose={() => setDialog(null)} />}
      {dialog === "delete" && <DeleteProjectDialog project={project} onClose={() => setDialog(null)} onDeleted={() => void navigate("/inbox")} />}
      {deletingSection && (
        <Dialog title={`Delete section “${deletingSection.name}”?`} onClose={() => setDeletingSection(null)}>
          <p>Its tasks stay in {project.name}, without a section.</p>
          <div className="mt-4 flex gap-2">
            <button
              type="button"
              className="btn-danger"
              onClick={() => {
                sectionOps.remove.mutate(deletingSection);
                setDeletingSection(null);
              }}
            >
              Delete section
            </button>
            <button type="button" className="btn-secondary" onClick={() => setDeletingSection(null)} data-autofocus>
              Cancel
            </button>
          </div>
        </Dialog>
      )}
    </div>
  );
}

function countAll(nodes: readonly TaskNode[]): number {
  return nodes.reduce((n, node) => n + 1 + countAll(node.children), 0);
}

type RowProps = (task: Task) => Omit<React.ComponentProps<typeof TaskRow>, "project">;

function TreeItem({
  node,
  siblings,
  parent,
  collapsed,
  onCollapse,
  rowProps,
  draggable,
  onKey,
  onDragStart,
  onDragEnd,
  onDragOver,
  onDrop,
}: {
  node: TaskNode;
  siblings: readonly TaskNode[];
  parent: TaskNode | null;
  collapsed: ReadonlySet<number>;
  onCollapse: (id: number) => void;
  rowProps: RowProps;
  draggable: boolean;
  onKey: (event: KeyboardEvent, node: TaskNode, siblings: readonly TaskNode[], parent: TaskNode | null) => void;
  onDragStart: (event: DragEvent<HTMLElement>, task: Task) => void;
  onDragEnd: () => void;
  onDragOver: (event: DragEvent<HTMLElement>, node: TaskNode) => void;
  onDrop: (event: DragEvent<HTMLElement>, node: TaskNode, siblings: readonly TaskNode[], parent: TaskNode | null) => void;
}) {
  const { task } = node;
  const [adding, setAdding] = useState(false);
  const open = !collapsed.has(task.id);
  const hasChildren = node.children.length > 0;
  const childrenId = `subtasks-${task.id}`;
  return (
    <TaskRow
      {...rowProps(task)}
      depth={node.depth}
      draggable={draggable}
      onTitleKeyDown={(e) => onKey(e, node, siblings, parent)}
      onDragStart={(e) => onDragStart(e, task)}
      onDragEnd={onDragEnd}
      onDragOver={(e) => onDragOver(e, node)}
      onDrop={(e) => onDrop(e, node, siblings, parent)}
      leading={
        hasChildren ? (
          <button
            type="button"
            className="btn-ghost -ml-1 mt-0.5 shrink-0 px-0.5 py-0.5"
            aria-expanded={open}
            aria-controls={open ? childrenId : undefined}
            aria-label={`${open ? "Hide" : "Show"} the subtasks of “${task.title}”`}
            onClick={() => onCollapse(task.id)}
          >
            <Icon name={open ? "chevronDown" : "chevronRight"} />
          </button>
        ) : (
          <span className="w-5 shrink-0" aria-hidden="true" />
        )
      }
      trailing={
        node.depth < MAX_DEPTH && (
          <button type="button" className="btn-ghost shrink-0 text-sm" onClick={() => setAdding(true)} aria-label={`Add a subtask to “${task.title}”`}>
            <Icon name="plus" />
          </button>
        )
      }
    >
      {adding && <AddSubtask parent={task} depth={node.depth + 1} onDone={() => setAdding(false)} />}
      {hasChildren && open && (
        <ul id={childrenId} className="divide-y divide-slate-200 border-t border-slate-200 dark:divide-slate-800 dark:border-slate-800" aria-label={`Subtasks of “${task.title}”`}>
          {node.children.map((child) => (
            <TreeItem
              key={child.task.id}
              node={child}
              siblings={node.children}
              parent={node}
              collapsed={collapsed}
              onCollapse={onCollapse}
              rowProps={rowProps}
              draggable={draggable}
              onKey={onKey}
              onDragStart={onDragStart}
              onDragEnd={onDragEnd}
              onDragOver={onDragOver}
              onDrop={onDrop}
            />
          ))}
        </ul>
      )}
    </TaskRow>
  );
}

function AddSubtask({ parent, depth, onDone }: { parent: Task; depth: number; onDone: () => void }) {
  const [title, setTitle] = useState("");
  const create = useCreateTask();
  const toast = useToast();
  const id = useId();
  function submit(event: SyntheticEvent) {
    event.preventDefault();
    const text = title.trim();
    if (!text) return;
    create.mutate(
      { title: text, parent_id: parent.id },
      {
        onSuccess: (task) => {
          setTitle("");
          toast({ tone: "info", message: `Added subtask “${task.title}”.` }, 3000);
        },
        onError: (e) => toast({ tone: "error", message: `The subtask was not added: ${e.message}` }),
      },
    );
  }
  return (
    <form
      onSubmit={submit}
      className="flex gap-2 border-t border-slate-200 py-2 pr-3 dark:border-slate-800"
      style={{ paddingLeft: `${2.75 + depth * 1.5}rem` }}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          onDone();
        }
      }}
    >
      <label htmlFor={id} className="sr-only">
        Subtask of “{parent.title}”
      </label>
      <input id={id} className="input" value={title} onChange={(e) => setTitle(e.target.value)} placeholder="Subtask title" autoFocus maxLength={200} autoComplete="off" />
      <button type="submit" className="btn-primary shrink-0" disabled={!title.trim() || create.isPending}>
        Add
      </button>
      <button type="button" className="btn-secondary shrink-0" onClick={onDone}>
        Done
      </button>
    </form>
  );
}

function SectionHeader({
  section,
  count,
  first,
  last,
  layout,
  onRename,
  onMove,
  onDelete,
}: {
  section: Section;
  count: number;
  first: boolean;
  last: boolean;
  layout: "list" | "board";
  onRename: (name: string) => void;
  onMove: (direction: "up" | "down") => void;
  onDelete: () => void;
}) {
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(section.name);
  const id = useId();
  const headingId = layout === "board" ? `column-${section.id}` : `section-${section.id}`;
  if (renaming) {
    return (
      <form
        className="flex flex-wrap items-center gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          const trimmed = name.trim();
          if (trimmed && trimmed !== section.name) onRename(trimmed);
          setRenaming(false);
        }}
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            e.stopPropagation();
            setRenaming(false);
          }
        }}
      >
        <h2 id={headingId} className="sr-only">
          {section.name}
        </h2>
        <label htmlFor={id} className="sr-only">
          Section name
        </label>
        <input id={id} className="input min-w-0 flex-1" value={name} onChange={(e) => setName(e.target.value)} autoFocus maxLength={100} required />
        <button type="submit" className="btn-primary">
          Save
        </button>
        <button type="button" className="btn-secondary" onClick={() => setRenaming(false)}>
          Cancel
        </button>
      </form>
    );
  }
  const earlier = layout === "board" ? "left" : "up";
  const later = layout === "board" ? "right" : "down";
  return (
    <div className="flex items-center gap-1">
      <h2 id={headingId} className="min-w-0 flex-1 truncate px-1 text-sm font-semibold" data-testid="section-name">
        {section.name} <span className="muted font-normal">({count})</span>
      </h2>
      <button type="button" className="btn-ghost px-1 py-1" aria-label={`Rename section “${section.name}”`} onClick={() => setRenaming(true)}>
        <Icon name="pencil" className="size-3.5" />
      </button>
      <button type="button" className="btn-ghost px-1 py-1 disabled:invisible" aria-label={`Move section “${section.name}” ${earlier}`} disabled={first} onClick={() => onMove("up")}>
        <Icon name={earlier} className="size-3.5" />
      </button>
      <button type="button" className="btn-ghost px-1 py-1 disabled:invisible" aria-label={`Move section “${section.name}” ${later}`} disabled={last} onClick={() => onMove("down")}>
        <Icon name={later} className="size-3.5" />
      </button>
      <button type="button" className="btn-ghost px-1 py-1" aria-label={`Delete section “${section.name}”…`} onClick={onDelete}>
        <Icon name="trash" className="size-3.5" />
      </button>
    </div>
  );
}

function AddSection({ onAdd, pending }: { onAdd: (name: string) => void; pending: boolean }) {
  const [name, setName] = useState("");
  const id = useId();
  return (
    <form
      className="flex gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        const trimmed = name.trim();
        if (!trimmed) return;
        onAdd(trimmed);
        setName("");
      }}
    >
      <label htmlFor={id} className="sr-only">
        New section name
      </label>
      <input id={id} className="input" value={name} onChange={(e) => setName(e.target.value)} placeholder="New section" maxLength={100} autoComplete="off" />
      <button type="submit" className="btn-secondary shrink-0" disabled={!name.trim() || pending}>
        <Icon name="plus" />
        Add section
      </button>
    </form>
  );
}
