// The list's state (scope, search, filters, sort) turned into the API's two forms: the query of
// GET /customers and the `filter` body of POST /customers/bulk and /customers/exports.
import type { Query } from "../../../api/client";
import type { CustomerFilter } from "../../../api/types";

export const SCOPES = ["all", "mine", "holding", "my_unit", "unassigned", "shared"] as const;
export type Scope = (typeof SCOPES)[number];

export type FilterValues = Omit<CustomerFilter, "scope" | "q">;

export interface ListState {
  scope: Scope;
  q: string;
  filter: FilterValues;
  sort: string;
}

export const PAGE_SIZE = 50;

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0);
}

/** The filter without empty values (the same for the list, a bulk action on "all matching" and an export). */
export function toFilter(state: Pick<ListState, "scope" | "q" | "filter">): CustomerFilter {
  const filter: Record<string, unknown> = { scope: state.scope };
  const q = state.q.trim();
  if (q) filter.q = q;
  for (const [key, value] of Object.entries(state.filter)) {
    if (!isEmpty(value)) filter[key] = value;
  }
  return filter as CustomerFilter;
}

/** GET /customers's query: the filter, the sort, a page of PAGE_SIZE and the count on the first page. */
export function toQuery(state: ListState, cursor?: string): Query {
  const query: Query = { ...(toFilter(state) as Query), sort: state.sort, limit: PAGE_SIZE };
  if (cursor) query.cursor = cursor;
  else query.with_count = true;
  return query;
}

/** The API's sort from a column and antd's order (`undefined` order: back to the default). */
export function toSort(column: string | undefined, order: "ascend" | "descend" | null | undefined,
                       fallback: string): string {
  if (!column || !order) return fallback;
  return order === "descend" ? `-${column}` : column;
}

/** antd's sort order of `column` under the API's `sort`. */
export function sortOrderOf(sort: string, column: string): "ascend" | "descend" | null {
  if (sort === column) return "ascend";
  if (sort === `-${column}`) return "descend";
  return null;
}

/** Move the item at `from` to `to` (a new array). */
export function move<T>(items: readonly T[], from: number, to: number): T[] {
  if (from === to || from < 0 || to < 0 || from >= items.length || to >= items.length) return [...items];
  const next = [...items];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item);
  return next;
}

/** The quantities of the assign dialog: their sum, and whether it is exactly the selection. */
export function quantitiesCheck(quantities: Record<string, number | null | undefined>, selected: number) {
  const sum = Object.values(quantities).reduce<number>((total, value) => total + (value ?? 0), 0);
  const positive = Object.values(quantities).every((value) => (value ?? 0) >= 1);
  return { sum, ok: sum === selected && positive && Object.keys(quantities).length > 0 };
}

/** Split `total` as evenly as possible among `count` reps (the first ones get the remainder). */
export function evenSplit(total: number, count: number): number[] {
  if (count <= 0) return [];
  const base = Math.floor(total / count);
  return Array.from({ length: count }, (_, index) => base + (index < total % count ? 1 : 0));
}

/** The filter values in the URL (`f`, JSON): a link or the back button brings the same list again. */
export function filterToParam(filter: FilterValues): string | null {
  const kept = Object.fromEntries(Object.entries(filter).filter(([, value]) => !isEmpty(value)));
  return Object.keys(kept).length ? JSON.stringify(kept) : null;
}

export function filterFromParam(text: string | null): FilterValues {
  if (!text) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? parsed as FilterValues : {};
  } catch {
    return {};
  }
}

export function scopeFromParam(text: string | null): Scope | null {
  return SCOPES.includes(text as Scope) ? text as Scope : null;
}
