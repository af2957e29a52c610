import { useEffect } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { api, url } from "../../api/client";
import { session } from "../../auth/session";
import { currentLanguage } from "../../i18n/language";
import { followEventStream } from "../../lib/sse";
import { isFinished } from "./mapping";
import type { ImportJob } from "./types";

/** One import job, kept live by its event stream (`progress` carries the job, `end` closes it). */
export function useImportJob(id: string) {
  const queryClient = useQueryClient();
  const job = useQuery({
    queryKey: ["import", id],
    queryFn: ({ signal }) => api.get<ImportJob>(`/imports/${id}`, undefined, signal),
    // the stream below brings each change; this only covers a stream that cannot open
    refetchInterval: (query) => (query.state.data && !isFinished(query.state.data) ? 5000 : false),
  });
  const following = job.data !== undefined && !isFinished(job.data);

  useEffect(() => {
    if (!following) return;
    const controller = new AbortController();
    void followEventStream({
      url: url(`/imports/${id}/events`),
      token: () => session.accessToken(),
      renew: () => session.renew(),
      headers: { "Accept-Language": currentLanguage() },
      signal: controller.signal,
      onEvent: (event) => {
        if (event.event === "progress") {
          try {
            queryClient.setQueryData(["import", id], JSON.parse(event.data) as ImportJob);
          } catch {
            /* a frame cut short: the next one or the refetch below brings the job */
          }
        } else if (event.event === "end") {
          controller.abort();
          void queryClient.invalidateQueries({ queryKey: ["import", id] });
          void queryClient.invalidateQueries({ queryKey: ["imports"] });
        }
      },
    });
    return () => controller.abort();
  }, [following, id, queryClient]);

  return job;
}
