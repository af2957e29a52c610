import { useQuery } from "@tanstack/react-query";
import { api, type Page } from "../../api/client";
import type { Unit } from "../../api/types";

/** Every unit the caller may see (all pages of GET /units). */
export function useUnits() {
  return useQuery({
    queryKey: ["units"],
    queryFn: async ({ signal }) => {
      const units: Unit[] = [];
      let cursor: string | undefined;
      do {
        const page = await api.get<Page<Unit>>("/units", { limit: 200, cursor }, signal);
        units.push(...page.items);
        cursor = page.next_cursor ?? undefined;
      } while (cursor);
      return units;
    },
  });
}
