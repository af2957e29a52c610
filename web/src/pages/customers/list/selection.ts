// What a bulk action applies to: the rows ticked, or every customer matching the list's filter.
import { api, type Page } from "../../../api/client";
import type { Customer, CustomerFilter } from "../../../api/types";
import { toFilter, type ListState } from "./filters";

export interface Selection {
  ids: string[];
  /** "select all matching": the action takes the filter, not the ids */
  allMatching: boolean;
}

export const NO_SELECTION: Selection = { ids: [], allMatching: false };

/** The `ids` or `filter` part of POST /customers/bulk. */
export function bulkTarget(selection: Selection, state: ListState): { ids: string[] } | { filter: CustomerFilter } {
  return selection.allMatching ? { filter: { ...toFilter(state), fuzzy: false } as CustomerFilter }
    : { ids: selection.ids };
}

/** The ids of every customer matching the list (for the assignment API, which takes ids), at most `max`. */
export async function matchingIds(state: ListState, max: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.get<Page<Customer>>("/customers", {
      ...(toFilter(state) as Record<string, string>), fuzzy: false, sort: state.sort, limit: 200, cursor,
    });
    ids.push(...page.items.map((item) => item.id));
    cursor = page.next_cursor ?? undefined;
  } while (cursor && ids.length <= max);
  return ids;
}
