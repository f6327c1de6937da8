// The views (Inbox, Today, Upcoming, all tasks) and the active projects with
// their open tasks; projects are reordered with their move buttons or
// Alt+ArrowUp/Down on their link, announced to screen readers.
import { type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import { NavLink } from "react-router";
import { useMoveProject, useProjects } from "../api/queries";
import type { Project } from "../api/types";
import { afterFor, reordered, stepTarget } from "../lib/moves";
import { Icon, type IconName } from "./Icon";
import { ColorDot } from "./ProjectColor";
import { useToast } from "./Toasts";

const linkClass = ({ isActive }: { isActive: boolean }) =>
  `flex min-w-0 flex-1 items-center gap-2 rounded-lg px-2 py-1.5 text-sm ${
    isActive ? "bg-slate-200 font-semibold dark:bg-slate-800" : "hover:bg-slate-100 dark:hover:bg-slate-800/60"
  }`;

function Count({ n }: { n: number | undefined }) {
  if (!n) return null;
  return (
    <span className="muted ml-auto text-xs tabular-nums">
      {n}
      <span className="sr-only"> open</span>
    </span>
  );
}

function ViewLink({ to, icon, label, count, end, onNavigate }: { to: string; icon: IconName; label: string; count?: number; end?: boolean; onNavigate?: () => void }) {
  return (
    <li className="flex">
      <NavLink to={to} end={end ?? false} className={linkClass} onClick={onNavigate}>
        <Icon name={icon} className="size-4" />
        <span className="truncate">{label}</span>
        <Count n={count} />
      </NavLink>
    </li>
  );
}

export function Sidebar({ onNavigate, onNewProject }: { onNavigate?: () => void; onNewProject: () => void }) {
  const projects = useProjects("active");
  const toast = useToast();
  const move = useMoveProject((message) => toast({ tone: "error", message }));
  const [announcement, setAnnouncement] = useState("");
  const refocus = useRef<number | null>(null);
  const hint = useId();
  const list = projects.data ?? [];
  const inbox = list.find((p) => p.inbox);
  const own = list.filter((p) => !p.inbox);

  useEffect(() => {
    if (refocus.current === null) return;
    document.querySelector<HTMLElement>(`[data-project-link="${refocus.current}"]`)?.focus();
    refocus.current = null;
  }, [projects.data]);

  function step(project: Project, direction: "up" | "down") {
    const order = own.map((p) => p.id);
    const to = stepTarget(order, project.id, direction);
    if (to === null) return;
    refocus.current = project.id;
    move.mutate({ project, after: afterFor(order, project.id, to), order: reordered(order, project.id, to) });
    setAnnouncement(`Moved “${project.name}” ${direction}: position ${to + 1} of ${order.length}.`);
  }

  function onKey(event: KeyboardEvent, project: Project) {
    if (!event.altKey || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) return;
    event.preventDefault();
    step(project, event.key === "ArrowUp" ? "up" : "down");
  }

  return (
    <nav aria-label="Projects and views" className="space-y-4 text-sm">
      <ul className="space-y-0.5">
        <ViewLink to="/inbox" icon="inbox" label="Inbox" count={inbox?.open_tasks} onNavigate={onNavigate} />
        <ViewLink to="/today" icon="calendar" label="Today" onNavigate={onNavigate} />
        <ViewLink to="/upcoming" icon="right" label="Upcoming" onNavigate={onNavigate} />
        <ViewLink to="/" end icon="list" label="All tasks" onNavigate={onNavigate} />
      </ul>
      <div>
        <div className="flex items-center justify-between px-2">
          <h2 className="muted text-xs font-semibold uppercase tracking-wide">Projects</h2>
          <button type="button" className="btn-ghost px-1.5 py-1" onClick={onNewProject} aria-label="New project" title="New project">
            <Icon name="plus" className="size-4" />
          </button>
        </div>
        <p id={hint} className="sr-only">
          Alt+Arrow Up or Down moves the project.
        </p>
        {projects.isError && <p className="px-2 text-red-700 dark:text-red-400">Projects could not be loaded.</p>}
        {projects.isSuccess && own.length === 0 && <p className="muted px-2 py-1 text-xs">No projects yet.</p>}
        <ul className="mt-1 space-y-0.5" data-testid="sidebar-projects">
          {own.map((project, index) => (
            <li key={project.id} className="group flex items-center gap-0.5" data-project-id={project.id}>
              <NavLink
                to={`/projects/${project.id}`}
                className={linkClass}
                onClick={onNavigate}
                onKeyDown={(e) => onKey(e, project)}
                aria-describedby={hint}
                data-project-link={project.id}
              >
                <ColorDot color={project.color} />
                <span className="truncate">{project.name}</span>
                <Count n={project.open_tasks} />
              </NavLink>
              <span className="flex shrink-0 md:opacity-0 md:group-focus-within:opacity-100 md:group-hover:opacity-100">
                <button
                  type="button"
                  className="btn-ghost px-1 py-1 disabled:invisible"
                  aria-label={`Move “${project.name}” up`}
                  disabled={index === 0}
                  onClick={() => step(project, "up")}
                >
                  <Icon name="up" className="size-3.5" />
                </button>
                <button
                  type="button"
                  className="btn-ghost px-1 py-1 disabled:invisible"
                  aria-label={`Move “${project.name}” down`}
                  disabled={index === own.length - 1}
                  onClick={() => step(project, "down")}
                >
                  <Icon name="down" className="size-3.5" />
                </button>
              </span>
            </li>
          ))}
        </ul>
        <ul className="mt-2 space-y-0.5">
          <ViewLink to="/archived" icon="archive" label="Archived projects" onNavigate={onNavigate} />
        </ul>
      </div>
      <p className="sr-only" aria-live="polite">
        {announcement}
      </p>
    </nav>
  );
}
