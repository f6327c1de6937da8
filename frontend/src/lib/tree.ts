// A project's flat task list as what the page shows: sections, each with its
// top-level tasks and their subtasks underneath, in order.
import type { Section, Task } from "../api/types";

export interface TaskNode {
  task: Task;
  children: TaskNode[];
  /** 0 for a top-level task (of what is shown). */
  depth: number;
}

export interface SectionGroup {
  /** null: the tasks without a section, shown first. */
  section: Section | null;
  nodes: TaskNode[];
}

/** Siblings in manual order: by position, ties by id. */
export function byPosition(a: Task, b: Task): number {
  return a.position - b.position || a.id - b.id;
}

/** Every task under `id` (children, their children, …), in no particular order. */
export function descendantIds(tasks: readonly Task[], id: number): number[] {
  const children = new Map<number, number[]>();
  for (const t of tasks) {
    if (t.parent_id === null) continue;
    const list = children.get(t.parent_id) ?? [];
    list.push(t.id);
    children.set(t.parent_id, list);
  }
  const found: number[] = [];
  const stack = [...(children.get(id) ?? [])];
  const seen = new Set<number>([id]);
  while (stack.length > 0) {
    const next = stack.pop();
    if (next === undefined || seen.has(next)) continue;
    seen.add(next);
    found.push(next);
    stack.push(...(children.get(next) ?? []));
  }
  return found;
}

/**
 * The forest of `tasks`: a task whose parent is not among them (filtered
 * out, or on another page) is shown at the top level. `manual` orders
 * siblings by position; otherwise the order given (the server's sort) stays.
 */
export function buildTree(tasks: readonly Task[], manual: boolean): TaskNode[] {
  const ids = new Set(tasks.map((t) => t.id));
  const children = new Map<number | null, Task[]>();
  for (const t of tasks) {
    const parent = t.parent_id !== null && ids.has(t.parent_id) && t.parent_id !== t.id ? t.parent_id : null;
    const list = children.get(parent) ?? [];
    list.push(t);
    children.set(parent, list);
  }
  const seen = new Set<number>();
  const grow = (parent: number | null, depth: number): TaskNode[] => {
    const list = [...(children.get(parent) ?? [])];
    if (manual) list.sort(byPosition);
    return list
      .filter((t) => !seen.has(t.id) && (seen.add(t.id), true))
      .map((task) => ({ task, depth, children: grow(task.id, depth + 1) }));
  };
  return grow(null, 0);
}

/** The tasks grouped by section: "no section" first, then the sections in their order (empty ones too). */
export function groupBySection(sections: readonly Section[], tasks: readonly Task[], manual: boolean): SectionGroup[] {
  const known = new Set(sections.map((s) => s.id));
  const roots = buildTree(tasks, manual);
  const groups: SectionGroup[] = [{ section: null, nodes: [] }, ...sections.map((section) => ({ section, nodes: [] as TaskNode[] }))];
  const index = new Map(sections.map((s, i) => [s.id, i + 1]));
  for (const node of roots) {
    const section = node.task.section_id;
    const at = section !== null && known.has(section) ? (index.get(section) ?? 0) : 0;
    groups[at]?.nodes.push(node);
  }
  return groups;
}

/** The nodes shown, depth first, skipping the children of collapsed ones. */
export function visibleNodes(nodes: readonly TaskNode[], collapsed: ReadonlySet<number>): TaskNode[] {
  const out: TaskNode[] = [];
  const walk = (list: readonly TaskNode[]) => {
    for (const node of list) {
      out.push(node);
      if (!collapsed.has(node.task.id)) walk(node.children);
    }
  };
  walk(nodes);
  return out;
}

/** The siblings of `id` in the forest (its own list), or null when it is not there. */
export function siblingsOf(nodes: readonly TaskNode[], id: number): TaskNode[] | null {
  for (const node of nodes) if (node.task.id === id) return [...nodes];
  for (const node of nodes) {
    const found = siblingsOf(node.children, id);
    if (found) return found;
  }
  return null;
}
