// The agents' pending suggestions: what each proposes and why, with Accept
// (applies it; the task list refreshes) and Dismiss.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, isApiError } from "../api/client";
import { keys, useSuggestions } from "../api/queries";
import type { Suggestion, Task } from "../api/types";
import { Dialog } from "../components/Dialog";
import { useToast } from "../components/Toasts";
import { agentName, describeAction } from "../lib/suggestions";

export default function SuggestionsPanel({ onClose }: { onClose: () => void }) {
  const list = useSuggestions(true);
  const client = useQueryClient();
  const toast = useToast();
  const refresh = () => {
    void client.invalidateQueries({ queryKey: keys.suggestions });
    void client.invalidateQueries({ queryKey: keys.tasks });
  };
  const decide = useMutation({
    mutationFn: ({ suggestion, verb }: { suggestion: Suggestion; verb: "accept" | "dismiss" }) =>
      api<{ suggestion: Suggestion; tasks?: Task[] }>(`/api/suggestions/${suggestion.id}/${verb}`, { method: "POST" }),
    onSuccess: (_, { suggestion, verb }) =>
      toast({
        tone: "info",
        message: verb === "accept" ? `Done: ${describeAction(suggestion.action).toLowerCase()}.` : "Suggestion dismissed.",
      }),
    onError: (error) =>
      toast({
        tone: "error",
        message: isApiError(error, 409)
          ? "This suggestion is no longer valid (its task changed or it was already handled)."
          : `That did not work: ${error.message}`,
      }),
    onSettled: refresh,
  });

  const suggestions = list.data?.suggestions ?? [];
  return (
    <Dialog title="Suggestions" onClose={onClose} variant="panel">
      {list.isPending && <p className="muted">Loading…</p>}
      {list.isError && (
        <p role="alert" className="text-red-700 dark:text-red-400">
          Suggestions could not be loaded: {list.error.message}
        </p>
      )}
      {list.isSuccess && suggestions.length === 0 && (
        <div className="muted space-y-2 text-sm">
          <p>No suggestions right now.</p>
          <p>
            The agents look at your tasks every few minutes: overdue tasks get a proposal to move or close them, and
            tasks due soon at low priority get a proposal to raise it. Switch them off or set quiet hours in Settings.
          </p>
        </div>
      )}
      <ul className="space-y-3" aria-label="Pending suggestions">
        {suggestions.map((suggestion) => (
          <li key={suggestion.id} className="card p-4" data-testid="suggestion">
            <p className="text-xs font-semibold uppercase tracking-wide text-indigo-700 dark:text-indigo-300">
              {agentName(suggestion)}
            </p>
            <p className="mt-1">{suggestion.message}</p>
            <p className="muted mt-1 text-sm">Proposed: {describeAction(suggestion.action)}</p>
            <div className="mt-3 flex gap-2">
              <button
                type="button"
                className="btn-primary"
                disabled={decide.isPending}
                onClick={() => decide.mutate({ suggestion, verb: "accept" })}
              >
                Accept
              </button>
              <button
                type="button"
                className="btn-secondary"
                disabled={decide.isPending}
                onClick={() => decide.mutate({ suggestion, verb: "dismiss" })}
              >
                Dismiss
              </button>
            </div>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
