import { describe, expect, it } from "vitest";
import { activeFilterCount, DEFAULT_FILTERS, filtersToApiQuery, filtersToParams, parseFilters } from "./filters";

describe("filters in the URL", () => {
  it("round-trips through the query string without defaults", () => {
    const filters = { ...DEFAULT_FILTERS, status: "all" as const, priority: ["high" as const, "urgent" as const], tag: "family", q: "mom", sort: "priority" as const, order: "asc" as const };
    const params = filtersToParams(filters);
    expect(params.toString()).toBe("status=all&priority=high%2Curgent&tag=family&q=mom&sort=priority&order=asc");
    expect(parseFilters(params)).toEqual(filters);
    expect(filtersToParams(DEFAULT_FILTERS).toString()).toBe("");
  });

  it("ignores unknown values", () => {
    const parsed = parseFilters(new URLSearchParams("status=bogus&priority=high,nope&sort=x&order=up&due=later"));
    expect(parsed).toEqual({ ...DEFAULT_FILTERS, priority: ["high"] });
    expect(activeFilterCount(parsed)).toBe(1);
  });

  it("turns due filters into dates of the person's zone", () => {
    const now = new Date("2026-03-10T23:30:00Z"); // already March 11 in Berlin
    const query = filtersToApiQuery({ ...DEFAULT_FILTERS, due: "today", tag: "#Family" }, "Europe/Berlin", now);
    expect(query.get("due_before")).toBe("2026-03-12");
    expect(query.get("tag")).toBe("family");
    expect(query.get("status")).toBe("pending");
    expect(filtersToApiQuery({ ...DEFAULT_FILTERS, due: "week" }, "UTC", now).get("due_before")).toBe("2026-03-17");
  });
});
