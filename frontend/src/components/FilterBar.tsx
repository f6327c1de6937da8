// Search, status, priority, due, tag and sort: the filters of a task list,
// kept in the URL by the view that shows them.
import { type ReactNode, type RefObject, useEffect, useState } from "react";
import { PRIORITIES, type Priority } from "../api/types";
import { activeFilterCount, DUES, type Filters, type Sort, STATUSES } from "../lib/filters";
import { useDebounced } from "../lib/useDebounced";

const STATUS_LABEL: Record<(typeof STATUSES)[number], string> = {
  pending: "To do",
  overdue: "Overdue",
  completed: "Done",
  all: "All",
};
const DUE_LABEL: Record<(typeof DUES)[number], string> = { any: "Any time", today: "Due today", week: "Next 7 days" };

export function effectiveOrder(filters: Filters): "asc" | "desc" {
  if (filters.order) return filters.order;
  return filters.sort === "priority" || filters.sort === "created" || filters.sort === "updated" ? "desc" : "asc";
}

export function FilterBar({
  filters,
  setFilters,
  onClear,
  sorts,
  searchRef,
}: {
  filters: Filters;
  setFilters: (change: Partial<Filters>) => void;
  onClear: () => void;
  sorts: readonly Sort[];
  searchRef?: RefObject<HTMLInputElement | null>;
}) {
  // Search typed here, written to the URL once typing pauses.
  const [search, setSearch] = useState(filters.q);
  const debouncedSearch = useDebounced(search, 250);
  useEffect(() => {
    if (debouncedSearch !== filters.q) setFilters({ q: debouncedSearch });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the typing settles
  }, [debouncedSearch]);
  const [tagText, setTagText] = useState(filters.tag);
  const debouncedTag = useDebounced(tagText, 300);
  useEffect(() => {
    if (debouncedTag !== filters.tag) setFilters({ tag: debouncedTag.replace(/^#/, "") });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the typing settles
  }, [debouncedTag]);
  const [showFilters, setShowFilters] = useState(false);

  const filterCount = activeFilterCount(filters);
  return (
    <section aria-label="Filters" className="flex flex-wrap items-end gap-2">
      <div className="min-w-40 flex-1">
        <label htmlFor="search" className="sr-only">
          Search tasks
        </label>
        <input
          id="search"
          ref={searchRef}
          type="search"
          className="input"
          placeholder="Search ( / )"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
      </div>
      <button
        type="button"
        className="btn-secondary sm:hidden"
        aria-expanded={showFilters}
        aria-controls="filter-fields"
        onClick={() => setShowFilters((shown) => !shown)}
      >
        Filters{filterCount > 0 ? ` (${filterCount})` : ""}
      </button>
      <div id="filter-fields" className={`${showFilters ? "flex" : "hidden"} w-full flex-wrap items-end gap-2 sm:flex sm:w-auto`}>
        <Select label="Status" value={filters.status} onChange={(v) => setFilters({ status: v as Filters["status"] })}>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABEL[s]}
            </option>
          ))}
        </Select>
        <Select
          label="Priority"
          value={filters.priority.join(",")}
          onChange={(v) => setFilters({ priority: v ? (v.split(",") as Priority[]) : [] })}
        >
          <option value="">Any priority</option>
          <option value="urgent,high">High and urgent</option>
          {[...PRIORITIES].reverse().map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
          {filters.priority.length > 1 && !["urgent,high"].includes(filters.priority.join(",")) && (
            <option value={filters.priority.join(",")}>{filters.priority.join(", ")}</option>
          )}
        </Select>
        <Select label="Due" value={filters.due} onChange={(v) => setFilters({ due: v as Filters["due"] })}>
          {DUES.map((d) => (
            <option key={d} value={d}>
              {DUE_LABEL[d]}
            </option>
          ))}
        </Select>
        <div className="w-28">
          <label htmlFor="tag-filter" className="text-xs">
            Tag
          </label>
          <input id="tag-filter" className="input" placeholder="#tag" value={tagText} onChange={(e) => setTagText(e.target.value)} />
        </div>
        <Select label="Sort" value={filters.sort} onChange={(v) => setFilters({ sort: v as Filters["sort"], order: "" })}>
          {sorts.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </Select>
        <button
          type="button"
          className="btn-secondary"
          onClick={() => setFilters({ order: effectiveOrder(filters) === "asc" ? "desc" : "asc" })}
          aria-label={`Order: ${effectiveOrder(filters) === "asc" ? "ascending" : "descending"}; switch`}
        >
          {effectiveOrder(filters) === "asc" ? "↑" : "↓"}
        </button>
      </div>
      {filterCount > 0 && (
        <button
          type="button"
          className="btn-ghost"
          onClick={() => {
            setSearch("");
            setTagText("");
            onClear();
          }}
        >
          Clear filters
        </button>
      )}
    </section>
  );
}

function Select({ label, value, onChange, children }: { label: string; value: string; onChange: (value: string) => void; children: ReactNode }) {
  const id = `filter-${label.toLowerCase()}`;
  return (
    <div>
      <label htmlFor={id} className="text-xs">
        {label}
      </label>
      <select id={id} className="input" value={value} onChange={(e) => onChange(e.target.value)}>
        {children}
      </select>
    </div>
  );
}
