import { useQuery } from "@tanstack/react-query";
import { api } from "../../../api/client";
import type { PersonSummary } from "../../../api/types";

/** A colleague by id (GET /people/{id}), cached: names on a customer's page are read many times. */
export function usePerson(id: string | null | undefined) {
  return useQuery({
    queryKey: ["people", id],
    queryFn: () => api.get<PersonSummary>(`/people/${id}`),
    enabled: Boolean(id),
    staleTime: 5 * 60_000,
  });
}
