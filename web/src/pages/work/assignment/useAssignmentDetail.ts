import { useQuery } from "@tanstack/react-query";
import { api, ApiError } from "../../../api/client";
import type { AssignmentSlaDetail, SlaJob } from "./types";
import { useRefetchOnNotification } from "./useRefetchOnNotification";

/** Whether a deadline still runs for one of the assignment's leads (the page then keeps it fresh). */
export function clockRunning(detail: AssignmentSlaDetail | undefined): boolean {
  return Boolean(detail?.customers.some((lead) => lead.state === "open" && lead.contact_due_at && !lead.contacted_at));
}

/** GET /assignments/{id}, refreshed while a contact deadline runs (the sweep may warn or recall) and
 * whenever a notification arrives; and its job's SLA rule when the caller may read the job. */
export function useAssignmentDetail(id: string | null) {
  const detail = useQuery({
    queryKey: ["assignment", id],
    queryFn: () => api.get<AssignmentSlaDetail>(`/assignments/${id}`),
    enabled: Boolean(id),
    refetchInterval: (query) => (clockRunning(query.state.data) ? 5_000 : false),
  });
  useRefetchOnNotification(detail.refetch);
  const jobId = detail.data?.job_id;
  const job = useQuery({
    queryKey: ["job", jobId],
    queryFn: () => api.get<SlaJob>(`/jobs/${jobId}`),
    enabled: Boolean(jobId),
    staleTime: 5 * 60_000,
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
  });
  return { detail, job };
}

/** When the lead's clock started: at the hand-over when direct, at acceptance otherwise. */
export function clockStart(detail: Pick<AssignmentSlaDetail, "direct" | "created_at" | "decided_at">): string | null {
  return detail.direct ? detail.created_at : detail.decided_at;
}
