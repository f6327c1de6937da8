// Delete with Undo: the task (and its subtree) disappears at once; the DELETE
// goes out when the message's Undo window has passed (or the page is left),
// so Undo truly brings everything back: nothing was deleted yet.
import { useQueryClient } from "@tanstack/react-query";
import { api } from "../api/client";
import { cachedTasks, keys, refusal, replaceTask } from "../api/queries";
import type { Task } from "../api/types";
import { useToast } from "../components/Toasts";
import { hideIds, showIds } from "../lib/pendingDeletes";
import { descendantIds } from "../lib/tree";

export const UNDO_MS = 5000;

export function useDeleteTask() {
  const client = useQueryClient();
  const toast = useToast();
  return (task: Task) => {
    const subtree = descendantIds(cachedTasks(client), task.id);
    const ids = [task.id, ...subtree];
    hideIds(ids);
    const below = Math.max(subtree.length, task.subtask_counts.total);
    let undone = false;
    const commit = () => {
      window.removeEventListener("pagehide", commit);
      if (undone) return;
      undone = true;
      api(`/api/tasks/${task.id}`, { method: "DELETE", version: task.version, keepalive: true })
        .then(async () => {
          await Promise.all([
            client.invalidateQueries({ queryKey: keys.tasks }),
            client.invalidateQueries({ queryKey: keys.projects }),
          ]);
          showIds(ids);
        })
        .catch((error: unknown) => {
          showIds(ids);
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
        message:
          below > 0 ? `Deleted “${task.title}” and its ${below} subtask${below === 1 ? "" : "s"}.` : `Deleted “${task.title}”.`,
        action: {
          label: "Undo",
          run: () => {
            if (undone) return;
            undone = true;
            window.clearTimeout(timer);
            window.removeEventListener("pagehide", commit);
            showIds(ids);
          },
        },
      },
      UNDO_MS,
    );
  };
}
