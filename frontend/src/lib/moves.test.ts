import { describe, expect, it } from "vitest";
import { afterFor, boardTarget, describeMove, dropIndex, positionAt, reordered, stepTarget } from "./moves";

describe("moves", () => {
  it("computes `after` for a destination index", () => {
    expect(afterFor([1, 2, 3], 3, 0)).toBeNull();
    expect(afterFor([1, 2, 3], 3, 1)).toBe(1);
    expect(afterFor([1, 2, 3], 1, 2)).toBe(3);
    expect(afterFor([1, 2, 3], 1, 99)).toBe(3);
    // Into another list: the moved one is not in it.
    expect(afterFor([5, 6], 1, 1)).toBe(5);
    expect(afterFor([], 1, 0)).toBeNull();
  });

  it("reorders", () => {
    expect(reordered([1, 2, 3], 3, 0)).toEqual([3, 1, 2]);
    expect(reordered([1, 2, 3], 1, 1)).toEqual([2, 1, 3]);
    expect(reordered([1, 2, 3], 2, 5)).toEqual([1, 3, 2]);
  });

  it("picks a position between the neighbours", () => {
    expect(positionAt([100, 200], 1)).toBe(150);
    expect(positionAt([100, 200], 0)).toBeLessThan(100);
    expect(positionAt([100, 200], 2)).toBeGreaterThan(200);
    expect(positionAt([], 0)).toBeGreaterThan(0);
  });

  it("turns a drop before or after a row into an index", () => {
    expect(dropIndex([1, 2, 3, 4], 1, 3, true)).toBe(1);
    expect(dropIndex([1, 2, 3, 4], 1, 3, false)).toBe(2);
    expect(dropIndex([1, 2, 3, 4], 4, 1, true)).toBe(0);
    expect(dropIndex([2, 3], 9, 3, false)).toBe(2);
    expect(dropIndex([2, 3], 9, 42, false)).toBe(2);
  });

  it("steps up and down among siblings, not past the ends", () => {
    expect(stepTarget([1, 2, 3], 2, "up")).toBe(0);
    expect(stepTarget([1, 2, 3], 2, "down")).toBe(2);
    expect(stepTarget([1, 2, 3], 1, "up")).toBeNull();
    expect(stepTarget([1, 2, 3], 3, "down")).toBeNull();
    expect(stepTarget([1, 2, 3], 9, "down")).toBeNull();
  });

  it("finds keyboard targets on a board", () => {
    const columns = [[1, 2], [3], []];
    expect(boardTarget(columns, 2, "up")).toEqual({ column: 0, index: 0 });
    expect(boardTarget(columns, 1, "up")).toBeNull();
    expect(boardTarget(columns, 2, "right")).toEqual({ column: 1, index: 1 });
    expect(boardTarget(columns, 1, "right")).toEqual({ column: 1, index: 0 });
    expect(boardTarget(columns, 3, "right")).toEqual({ column: 2, index: 0 });
    expect(boardTarget(columns, 3, "left")).toEqual({ column: 0, index: 0 });
    expect(boardTarget(columns, 1, "left")).toBeNull();
    expect(boardTarget(columns, 9, "left")).toBeNull();
  });

  it("says what happened", () => {
    expect(describeMove("Pay rent", 1, 3, "Next")).toBe("Moved “Pay rent” to position 2 of 3 in Next.");
  });
});
