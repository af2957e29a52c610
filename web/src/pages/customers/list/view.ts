// The user's saved view of the list (GET/PUT /me/views/customers): filters shown, columns in order,
// default scope and sort.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../api/client";
import type { CustomerView } from "../../../api/types";

export const VIEW_KEY = ["me", "views", "customers"];
const KEY = VIEW_KEY;

export function useCustomerView() {
  return useQuery({ queryKey: KEY, queryFn: () => api.get<CustomerView>("/me/views/customers"), staleTime: Infinity });
}

export type ViewChange = Partial<Pick<CustomerView, "filters_shown" | "columns" | "default_scope" | "default_sort"
  | "saved_filters">>;

/** Save a change of the view: the rest of it is sent as it is (PUT takes the whole view). */
export function useSaveView() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: ViewChange) => {
      const current = queryClient.getQueryData<CustomerView>(KEY);
      const body = {
        filters_shown: current?.filters_shown, columns: current?.columns, default_scope: current?.default_scope,
        default_sort: current?.default_sort, saved_filters: current?.saved_filters, ...change,
      };
      return api.put<CustomerView>("/me/views/customers", body);
    },
    onSuccess: (view) => queryClient.setQueryData(KEY, view),
  });
}
