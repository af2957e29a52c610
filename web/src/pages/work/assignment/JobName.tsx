import { useQuery } from "@tanstack/react-query";
import { api } from "../../../api/client";
import type { AssignmentJob } from "../../../api/types";

/** A job's content (GET /jobs/{id}; managers and admins). */
export function JobName({ id }: { id: string }) {
  const job = useQuery({ queryKey: ["job", id], queryFn: () => api.get<AssignmentJob>(`/jobs/${id}`), staleTime: 5 * 60_000 });
  return <>{job.data?.content ?? "…"}</>;
}
