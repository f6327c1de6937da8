// Creating and editing a project (name and colour), and deleting one after
// saying how many tasks go with it.
import { type SyntheticEvent, useState } from "react";
import { useNavigate } from "react-router";
import { ApiError } from "../api/client";
import { useChangeProject, useCreateProject, useDeleteProject } from "../api/queries";
import type { Project, ProjectColor } from "../api/types";
import { Dialog } from "./Dialog";
import { Field } from "./Field";
import { ColorSwatches } from "./ProjectColor";
import { useToast } from "./Toasts";

export function ProjectDialog({ project, onClose }: { project?: Project; onClose: () => void }) {
  const [name, setName] = useState(project?.name ?? "");
  const [color, setColor] = useState<ProjectColor>(project?.color ?? "grey");
  const create = useCreateProject();
  const change = useChangeProject();
  const navigate = useNavigate();
  const toast = useToast();
  const pending = create.isPending || change.isPending;
  const error = create.error ?? change.error;

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return;
    if (project) {
      const patch = {
        ...(trimmed !== project.name ? { name: trimmed } : {}),
        ...(color !== project.color ? { color } : {}),
      };
      if (Object.keys(patch).length === 0) return onClose();
      change.mutate(
        { project, change: patch },
        {
          onSuccess: (saved) => {
            toast({ tone: "info", message: `Saved project “${saved.name}”.` }, 3000);
            onClose();
          },
        },
      );
    } else {
      create.mutate(
        { name: trimmed, color },
        {
          onSuccess: (created) => {
            toast({ tone: "info", message: `Created project “${created.name}”.` }, 3000);
            onClose();
            void navigate(`/projects/${created.id}`);
          },
        },
      );
    }
  }

  return (
    <Dialog title={project ? "Edit project" : "New project"} onClose={onClose}>
      <form onSubmit={submit} className="space-y-4">
        <Field
          label="Project name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          maxLength={100}
          data-autofocus
          error={error instanceof ApiError ? (error.field("name") ?? (error.problem.errors?.length ? undefined : error.message)) : undefined}
        />
        <ColorSwatches value={color} onChange={setColor} />
        <div className="flex gap-2 pt-2">
          <button type="submit" className="btn-primary" disabled={pending || !name.trim()}>
            {pending ? "Saving…" : project ? "Save" : "Create project"}
          </button>
          <button type="button" className="btn-secondary" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function DeleteProjectDialog({ project, onClose, onDeleted }: { project: Project; onClose: () => void; onDeleted?: () => void }) {
  const remove = useDeleteProject();
  const toast = useToast();
  const count = project.tasks;
  return (
    <Dialog title={`Delete “${project.name}”?`} onClose={onClose}>
      <p data-testid="delete-project-warning">
        {count === 0
          ? "The project has no tasks. Its sections are deleted with it."
          : `Its ${count} task${count === 1 ? "" : "s"} and its sections are deleted with it.`}{" "}
        This cannot be undone.
      </p>
      {remove.isError && (
        <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">
          {remove.error.message}
        </p>
      )}
      <div className="mt-4 flex gap-2">
        <button
          type="button"
          className="btn-danger"
          disabled={remove.isPending}
          onClick={() =>
            remove.mutate(project, {
              onSuccess: () => {
                toast({ tone: "info", message: `Deleted project “${project.name}”.` }, 4000);
                onClose();
                onDeleted?.();
              },
            })
          }
        >
          {count === 0 ? "Delete project" : `Delete project and ${count} task${count === 1 ? "" : "s"}`}
        </button>
        <button type="button" className="btn-secondary" onClick={onClose} data-autofocus>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
