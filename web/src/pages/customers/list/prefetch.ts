import { api } from "../../../api/client";
import { queryClient } from "../../../api/queryClient";
import type { CustomerPage, CustomerView } from "../../../api/types";
import { filterFromParam, scopeFromParam, toQuery, type ListState, type Scope } from "./filters";
import { VIEW_KEY } from "./view";

/** The user's view and the list's first page for the address `search`, into the cache under the keys
 * the page reads them with: a returning user's list paints without waiting for the page to render
 * before asking. */
export async function prefetchList(search: string): Promise<void> {
  const params = new URLSearchParams(search);
  const view = await queryClient.fetchQuery({
    queryKey: VIEW_KEY, queryFn: () => api.get<CustomerView>("/me/views/customers"), staleTime: Infinity,
  });
  const state: ListState = {
    scope: scopeFromParam(params.get("scope")) ?? (view.default_scope as Scope | undefined) ?? "all",
    q: params.get("q") ?? "", filter: filterFromParam(params.get("f")),
    sort: params.get("sort") ?? view.default_sort ?? "-created_at",
  };
  await queryClient.prefetchInfiniteQuery({
    queryKey: ["customers", state],
    queryFn: ({ pageParam }: { pageParam: string | undefined }) =>
      api.get<CustomerPage>("/customers", toQuery(state, pageParam)),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: CustomerPage) => last.next_cursor ?? undefined,
  });
}
