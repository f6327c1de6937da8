import type { Suggestion, SuggestionAction } from "../api/types";

export const AGENT_NAMES: Record<string, string> = {
  overdue_monitor: "Overdue monitor",
  prioritization: "Prioritization",
};

/** What accepting does, in words. */
export function describeAction(action: SuggestionAction): string {
  if ("reschedule_to" in action) return `Move to ${action.reschedule_to}`;
  if ("set_priority" in action) return `Set priority to ${action.set_priority}`;
  if ("complete" in action) return "Mark this occurrence done";
  if ("clear_due" in action) return "Remove the due date";
  return "Acknowledge the reminder";
}

export function agentName(suggestion: Suggestion): string {
  return AGENT_NAMES[suggestion.agent] ?? suggestion.agent;
}
