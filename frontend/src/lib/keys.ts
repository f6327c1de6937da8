/** Whether a key press belongs to a text field or an open dialog, not to the page's shortcuts. */
export function isTypingOrDialog(event: KeyboardEvent): boolean {
  if (event.ctrlKey || event.metaKey || event.altKey) return true;
  const target = event.target as HTMLElement | null;
  if (target?.closest("[data-dialog-root]")) return true;
  if (document.querySelector("[data-dialog-root]")) return true;
  const tag = target?.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target?.isContentEditable === true;
}

export const SHORTCUTS: [string, string][] = [
  ["n", "New task (focus the quick-add bar)"],
  ["/", "Search"],
  ["j / k", "Next / previous task"],
  ["x", "Complete or reopen the selected task"],
  ["Enter", "Edit the selected task"],
  ["Alt+↑ / Alt+↓", "Move the focused task (or project, in the sidebar) up or down"],
  ["Alt+← / Alt+→", "Move the focused card to the neighbouring board column"],
  ["?", "Show these shortcuts"],
  ["Esc", "Close a panel or dialog"],
];
