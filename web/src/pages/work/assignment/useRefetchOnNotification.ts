import { useEffect } from "react";
import { useQueryClient } from "@tanstack/react-query";

/** Refetch when the bell learns of a new notification (its SSE stream refreshes ["notifications", …]):
 * an SLA warning or a recall shows on the open page without a reload. */
export function useRefetchOnNotification(refetch: () => unknown) {
  const queryClient = useQueryClient();
  useEffect(() => queryClient.getQueryCache().subscribe((event) => {
    if (event.type === "updated" && event.action.type === "success" && event.query.queryKey[0] === "notifications") {
      void refetch();
    }
  }), [queryClient, refetch]);
}
