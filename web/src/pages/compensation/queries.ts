// Server state of the compensation screens (TanStack Query keys: ["lead-packages"], ["lead-package", id],
// ["compensation-requests", params], ["compensation-batches", params], ["compensation-batch", id]).
import { useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Page, type Query } from "../../api/client";
import type { Batch, LeadPackage, Reason } from "./types";

const PAGE = 50;

export function useReasons() {
  return useQuery({
    queryKey: ["compensation-reasons"],
    queryFn: ({ signal }) => api.get<Reason[] | Page<Reason>>("/compensation-reasons", undefined, signal)
      .then((data) => (Array.isArray(data) ? data : data.items)),
    staleTime: 5 * 60_000,
  });
}

export function usePackage(id: string | undefined) {
  return useQuery({
    queryKey: ["lead-package", id],
    queryFn: ({ signal }) => api.get<LeadPackage>(`/lead-packages/${id}`, undefined, signal),
    enabled: Boolean(id),
  });
}

/** A keyset-paged list ({items, next_cursor}) read page by page ("Xem thêm"). */
export function usePaged<T>(key: unknown[], path: string, query: Query = {}, enabled = true) {
  const pages = useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<T>>(path, { ...query, limit: PAGE, cursor: pageParam ?? undefined }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? null,
    enabled,
  });
  return { ...pages, items: pages.data?.pages.flatMap((page) => page.items) ?? [] };
}

export function useBatch(id: string | undefined) {
  return useQuery({
    queryKey: ["compensation-batch", id],
    queryFn: ({ signal }) => api.get<Batch>(`/compensation-batches/${id}`, undefined, signal),
    enabled: Boolean(id),
  });
}

/** Everything a request's change may have moved: lists, counters, the package, the queue. */
export function useRefreshCompensation() {
  const queryClient = useQueryClient();
  return () => {
    for (const key of ["compensation-requests", "lead-packages", "lead-package", "lead-package-leads",
                       "lead-package-credits", "compensation-batches", "compensation-batch"]) {
      void queryClient.invalidateQueries({ queryKey: [key] });
    }
  };
}
