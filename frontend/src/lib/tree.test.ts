import { describe, expect, it } from "vitest";
import { makeSection, makeTask } from "../test/fixtures";
import { buildTree, descendantIds, groupBySection, siblingsOf, visibleNodes } from "./tree";

const ids = (nodes: { task: { id: number } }[]) => nodes.map((n) => n.task.id);

describe("the task tree", () => {
  const tasks = [
    makeTask({ id: 1, position: 300 }),
    makeTask({ id: 2, position: 100 }),
    makeTask({ id: 3, parent_id: 1, position: 20 }),
    makeTask({ id: 4, parent_id: 1, position: 10 }),
    makeTask({ id: 5, parent_id: 4, position: 10 }),
  ];

  it("nests subtasks under their parent, siblings in manual order", () => {
    const tree = buildTree(tasks, true);
    expect(ids(tree)).toEqual([2, 1]);
    const parent = tree[1];
    expect(parent && ids(parent.children)).toEqual([4, 3]);
    expect(parent?.children[0]?.children[0]?.task.id).toBe(5);
    expect(parent?.children[0]?.children[0]?.depth).toBe(2);
  });

  it("keeps the server's order when not sorted by hand", () => {
    expect(ids(buildTree(tasks, false))).toEqual([1, 2]);
  });

  it("shows a task whose parent is not listed at the top level", () => {
    const tree = buildTree([makeTask({ id: 9, parent_id: 42 }), makeTask({ id: 10 })], true);
    expect(ids(tree)).toEqual([9, 10]);
  });

  it("finds a subtree", () => {
    expect(descendantIds(tasks, 1).sort()).toEqual([3, 4, 5]);
    expect(descendantIds(tasks, 2)).toEqual([]);
    // A cycle in bad data does not hang.
    expect(descendantIds([makeTask({ id: 20, parent_id: 21 }), makeTask({ id: 21, parent_id: 20 })], 20)).toEqual([21]);
  });

  it("skips collapsed children and finds siblings", () => {
    const tree = buildTree(tasks, true);
    expect(ids(visibleNodes(tree, new Set()))).toEqual([2, 1, 4, 5, 3]);
    expect(ids(visibleNodes(tree, new Set([1])))).toEqual([2, 1]);
    expect(ids(siblingsOf(tree, 3) ?? [])).toEqual([4, 3]);
    expect(siblingsOf(tree, 99)).toBeNull();
  });

  it("groups by section: no section first, then sections in order, empty ones too", () => {
    const sections = [makeSection({ id: 30, name: "Next" }), makeSection({ id: 31, name: "Later" })];
    const groups = groupBySection(
      sections,
      [
        makeTask({ id: 1, section_id: 31 }),
        makeTask({ id: 2, section_id: null }),
        makeTask({ id: 3, section_id: 31, parent_id: 1 }),
        makeTask({ id: 4, section_id: 99 }), // a section deleted meanwhile
      ],
      true,
    );
    expect(groups.map((g) => g.section?.name ?? null)).toEqual([null, "Next", "Later"]);
    expect(ids(groups[0]?.nodes ?? [])).toEqual([2, 4]);
    expect(ids(groups[1]?.nodes ?? [])).toEqual([]);
    expect(ids(groups[2]?.nodes ?? [])).toEqual([1]);
    expect(ids(groups[2]?.nodes[0]?.children ?? [])).toEqual([3]);
  });
});
