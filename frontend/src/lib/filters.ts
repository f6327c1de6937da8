// The task list's filters, search and sort live in the URL (shareable,
// back/forward work): parsed with defaults, written without them.
import { PRIORITIES, type Priority } from "../api/types";
import { dateInZone } from "./dates";

export const STATUSES = ["pending", "overdue", "completed", "all"] as const;
export type Status = (typeof STATUSES)[number];
export const SORTS = ["due", "priority", "created", "updated", "title", "manual"] as const;
export type Sort = (typeof SORTS)[number];
export const DUES = ["any", "today", "week"] as const;
export type DueFilter = (typeof DUES)[number];

export interface Filters {
  status: Status;
  priority: Priority[];
  tag: string;
  due: DueFilter;
  q: string;
  sort: Sort;
  order: "asc" | "desc" | "";
}

export const DEFAULT_FILTERS: Filters = {
  status: "pending",
  priority: [],
  tag: "",
  due: "any",
  q: "",
  sort: "due",
  order: "",
};

function oneOf<T extends string>(values: readonly T[], value: string | null, fallback: T): T {
  return values.includes(value as T) ? (value as T) : fallback;
}

/** A project lists in its own order by default. */
export const PROJECT_FILTERS: Filters = { ...DEFAULT_FILTERS, sort: "manual" };

export function parseFilters(params: URLSearchParams, defaults: Filters = DEFAULT_FILTERS): Filters {
  const priority = (params.get("priority") ?? "")
    .split(",")
    .filter((p): p is Priority => (PRIORITIES as readonly string[]).includes(p));
  const order = params.get("order");
  return {
    status: oneOf(STATUSES, params.get("status"), "pending"),
    priority,
    tag: params.get("tag") ?? "",
    due: oneOf(DUES, params.get("due"), "any"),
    q: params.get("q") ?? "",
    sort: oneOf(SORTS, params.get("sort"), defaults.sort),
    order: order === "asc" || order === "desc" ? order : "",
  };
}

/** The URL's query for these filters: only what differs from the defaults. */
export function filtersToParams(filters: Filters, defaults: Filters = DEFAULT_FILTERS): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.status !== "pending") params.set("status", filters.status);
  if (filters.priority.length > 0) params.set("priority", filters.priority.join(","));
  if (filters.tag) params.set("tag", filters.tag);
  if (filters.due !== "any") params.set("due", filters.due);
  if (filters.q) params.set("q", filters.q);
  if (filters.sort !== defaults.sort) params.set("sort", filters.sort);
  if (filters.order) params.set("order", filters.order);
  return params;
}

/** The GET /api/tasks query for these filters, in the person's time zone. */
export function filtersToApiQuery(filters: Filters, zone: string, now = new Date()): URLSearchParams {
  const query = new URLSearchParams({ status: filters.status, sort: filters.sort, limit: "50" });
  if (filters.priority.length > 0) query.set("priority", filters.priority.join(","));
  if (filters.tag) query.set("tag", filters.tag.replace(/^#/, "").toLowerCase());
  if (filters.q) query.set("q", filters.q);
  if (filters.order) query.set("order", filters.order);
  if (filters.due === "today") query.set("due_before", dateInZone(zone, 1, now));
  if (filters.due === "week") query.set("due_before", dateInZone(zone, 7, now));
  return query;
}

export function activeFilterCount(filters: Filters): number {
  return (
    (filters.status !== "pending" ? 1 : 0) +
    (filters.priority.length > 0 ? 1 : 0) +
    (filters.tag ? 1 : 0) +
    (filters.due !== "any" ? 1 : 0) +
    (filters.q ? 1 : 0)
  );
}
