// Where a drag or a key press puts a task (or a project, a section): the
// `after` the move endpoints take, and a position for the optimistic update.

/** The `after` that puts `id` at index `to` of `order` (the list it lands in, `id` itself left out). */
export function afterFor(order: readonly number[], id: number, to: number): number | null {
  const rest = order.filter((x) => x !== id);
  const at = Math.max(0, Math.min(rest.length, to));
  return at === 0 ? null : (rest[at - 1] ?? null);
}

/** `order` with `id` moved to index `to` (of the list without it). */
export function reordered(order: readonly number[], id: number, to: number): number[] {
  const rest = order.filter((x) => x !== id);
  const at = Math.max(0, Math.min(rest.length, to));
  return [...rest.slice(0, at), id, ...rest.slice(at)];
}

const GAP = 1_048_576;

/** A position between the neighbours at index `to` of `positions` (the destination list, the moved one left out). */
export function positionAt(positions: readonly number[], to: number): number {
  const at = Math.max(0, Math.min(positions.length, to));
  const before = positions[at - 1];
  const after = positions[at];
  if (before !== undefined && after !== undefined) return (before + after) / 2;
  if (before !== undefined) return before + GAP;
  if (after !== undefined) return after - GAP;
  return GAP;
}

/** The index (in the list without the dragged one) of a drop on `overId`, before or after it. */
export function dropIndex(order: readonly number[], dragged: number, overId: number, before: boolean): number {
  const rest = order.filter((x) => x !== dragged);
  const at = rest.indexOf(overId);
  if (at < 0) return rest.length;
  return before ? at : at + 1;
}

/** Alt+ArrowUp/Down among siblings: the new index (of the list without it), or null at the edge. */
export function stepTarget(order: readonly number[], id: number, direction: "up" | "down"): number | null {
  const at = order.indexOf(id);
  if (at < 0) return null;
  if (direction === "up") return at === 0 ? null : at - 1;
  return at >= order.length - 1 ? null : at + 1;
}

export type Direction = "up" | "down" | "left" | "right";

/**
 * Alt+Arrow on a board card: up and down within its column, left and right
 * to the neighbouring column at the same height (or its end). Null: nowhere
 * to go.
 */
export function boardTarget(columns: readonly (readonly number[])[], id: number, direction: Direction): { column: number; index: number } | null {
  const column = columns.findIndex((c) => c.includes(id));
  if (column < 0) return null;
  const own = columns[column] ?? [];
  if (direction === "up" || direction === "down") {
    const index = stepTarget(own, id, direction);
    return index === null ? null : { column, index };
  }
  const to = direction === "left" ? column - 1 : column + 1;
  const target = columns[to];
  if (!target) return null;
  return { column: to, index: Math.min(own.indexOf(id), target.length) };
}

/** "Moved “Pay rent” to position 2 of 3 in Next." */
export function describeMove(title: string, index: number, count: number, where: string): string {
  return `Moved “${title}” to position ${index + 1} of ${count} in ${where}.`;
}
