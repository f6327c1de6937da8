// Tasks deleted in this tab whose DELETE waits for the Undo window to pass:
// every view leaves them out, even when a refetch brings them back meanwhile.
import { useSyncExternalStore } from "react";

let hidden: ReadonlySet<number> = new Set();
const listeners = new Set<() => void>();

function emit() {
  listeners.forEach((l) => l());
}

export function hideIds(ids: readonly number[]) {
  hidden = new Set([...hidden, ...ids]);
  emit();
}

export function showIds(ids: readonly number[]) {
  const next = new Set(hidden);
  ids.forEach((id) => next.delete(id));
  hidden = next;
  emit();
}

export function hiddenIds(): ReadonlySet<number> {
  return hidden;
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The ids to leave out right now. */
export function useHiddenIds(): ReadonlySet<number> {
  return useSyncExternalStore(subscribe, hiddenIds, hiddenIds);
}
