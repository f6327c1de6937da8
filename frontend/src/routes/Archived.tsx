// Archived projects: look at one, restore it, or delete it for good.
import { useState } from "react";
import { Link } from "react-router";
import { useChangeProject, useProjects } from "../api/queries";
import type { Project } from "../api/types";
import { ColorDot } from "../components/ProjectColor";
import { DeleteProjectDialog } from "../components/ProjectDialogs";
import { useToast } from "../components/Toasts";

export function Archived() {
  const projects = useProjects("archived");
  const change = useChangeProject();
  const toast = useToast();
  const [deleting, setDeleting] = useState<Project | null>(null);
  const list = projects.data ?? [];
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Archived projects</h1>
      {projects.isPending && <p className="muted">Loading…</p>}
      {projects.isError && (
        <p role="alert" className="text-red-700 dark:text-red-400">
          Archived projects could not be loaded: {projects.error.message}
        </p>
      )}
      {projects.isSuccess && list.length === 0 && <p className="card muted p-6">No archived projects.</p>}
      {list.length > 0 && (
        <ul className="card divide-y divide-slate-200 dark:divide-slate-800" data-testid="archived-projects">
          {list.map((project) => (
            <li key={project.id} className="flex flex-wrap items-center gap-2 px-3 py-2.5" data-project-id={project.id}>
              <ColorDot color={project.color} />
              <Link to={`/projects/${project.id}`} className="min-w-0 flex-1 truncate font-medium underline-offset-2 hover:underline">
                {project.name}
              </Link>
              <span className="muted text-xs">
                {project.tasks} task{project.tasks === 1 ? "" : "s"}
              </span>
              <button
                type="button"
                className="btn-secondary"
                disabled={change.isPending}
                onClick={() =>
                  change.mutate(
                    { project, change: "restore" },
                    {
                      onSuccess: (p) => toast({ tone: "info", message: `Restored “${p.name}”.` }, 3000),
                      onError: (e) => toast({ tone: "error", message: `“${project.name}” was not restored: ${e.message}` }),
                    },
                  )
                }
                aria-label={`Restore “${project.name}”`}
              >
                Restore
              </button>
              <button type="button" className="btn-ghost" onClick={() => setDeleting(project)} aria-label={`Delete “${project.name}”…`}>
                Delete…
              </button>
            </li>
          ))}
        </ul>
      )}
      {deleting && <DeleteProjectDialog project={deleting} onClose={() => setDeleting(null)} />}
    </div>
  );
}
