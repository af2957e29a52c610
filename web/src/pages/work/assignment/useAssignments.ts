import { useInfiniteQuery } from "@tanstack/react-query";
import { api, type Page } from "../../../api/client";
import type { AssignmentRecord } from "../../../api/types";
import type { StatusChoice } from "./StatusFilter";

/** GET /assignments?scope=mine|made, newest first, page by page. */
export function useAssignments(scope: "mine" | "made", status: StatusChoice, jobId?: string) {
  const params = { scope, status: status === "all" ? undefined : status, job_id: jobId };
  return useInfiniteQuery({
    queryKey: ["assignments", params],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<AssignmentRecord>>("/assignments", { ...params, cursor: pageParam, limit: 50 }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}
