import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, newKey } from "../../../api/client";
import type { BulkResult } from "../../../api/types";

export interface BulkBody {
  action: "add_labels" | "remove_labels" | "add_to_group" | "remove_from_group" | "set_status" | "delete";
  ids?: string[];
  filter?: object;
  labels?: string[];
  group_id?: string;
  status?: string;
  note?: string;
  confirm?: boolean;
}

/** POST /customers/bulk, once per intended action (Idempotency-Key), then the list is read again. */
export function useBulk() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: BulkBody) => api.post<BulkResult>("/customers/bulk", body, { idempotencyKey: newKey() }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["customers"] }),
  });
}
