// /tasks/{id}: where notifications and the calendar feed point. Opens the
// task where it lives: its project's page (the Inbox for the Inbox's tasks)
// with the editor open on it (`?task=`). A task that does not exist (or is
// not this person's) is the "Nothing here" page.
import { Link, Navigate, useParams } from "react-router";
import { isApiError } from "../api/client";
import { useProject, useTask } from "../api/queries";
import { NotFound } from "./NotFound";

export function TaskLink() {
  const { id } = useParams();
  const valid = /^\d{1,15}$/.test(id ?? "");
  const task = useTask(valid ? Number(id) : 0);
  const project = useProject(task.data?.project_id ?? 0);
  if (!valid || isApiError(task.error, 404) || isApiError(task.error, 400)) return <NotFound />;
  if (task.isError) {
    return (
      <div className="p-6" role="alert">
        <h1 className="text-xl font-semibold">The task could not be loaded</h1>
        <p className="muted mt-2">{task.error.message}</p>
        <Link className="btn-primary mt-4" to="/">
          Go to my tasks
        </Link>
      </div>
    );
  }
  if (!task.data || project.isPending) return <p className="muted">Loading…</p>;
  // A project that cannot be loaded says so on its own page.
  const list = project.data?.inbox ? "/inbox" : `/projects/${task.data.project_id}`;
  return <Navigate to={`${list}?task=${task.data.id}`} replace />;
}
