import { Space } from "antd";
import { useQuery } from "@tanstack/react-query";
import { api, ApiError, type Page } from "../../../api/client";
import { useT } from "../../../i18n/I18nProvider";
import { Link } from "../../../lib/router";
import { SlaTag } from "./SlaTag";
import type { AssignmentWithSla, SlaJob } from "./types";
import { clockStart } from "./useAssignmentDetail";
import { useRefetchOnNotification } from "./useRefetchOnNotification";

/** The assignments holding the customer, newest first, each with the customer's own row in it
 * (GET /assignments?customer_id=); kept fresh while its deadline runs and on every notification. */
function useOpenAssignment(customerId: string) {
  const list = useQuery({
    queryKey: ["assignments", { customer_id: customerId }],
    queryFn: () => api.get<Page<AssignmentWithSla>>("/assignments", { customer_id: customerId, limit: 20 }),
    retry: false,
    refetchInterval: (query) => {
      const lead = query.state.data?.items.find((item) => item.customer?.state === "open")?.customer;
      return lead?.contact_due_at && !lead.contacted_at ? 5_000 : false;
    },
  });
  useRefetchOnNotification(list.refetch);
  return list.data?.items.find((item) => item.customer?.state === "open") ?? null;
}

/** On the customer's page: the contact deadline of the lead's open assignment, counting down, and a
 * link to the assignment (nothing when the lead is in no open assignment). */
export default function LeadSla({ customerId }: { customerId: string }) {
  const t = useT();
  const open = useOpenAssignment(customerId);
  const job = useQuery({
    queryKey: ["job", open?.job_id],
    queryFn: () => api.get<SlaJob>(`/jobs/${open?.job_id}`),
    enabled: Boolean(open?.job_id),
    staleTime: 5 * 60_000,
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
  });
  const lead = open?.customer;
  if (!open || !lead) return null;
  return (
    <Space wrap size={[8, 4]} data-testid="lead-sla">
      <span>{t("work.sla.title")}:</span>
      {lead.contact_due_at || lead.contacted_at
        ? <SlaTag lead={lead} rule={job.data} startedAt={clockStart(open)} />
        : <span>{t("work.sla.none")}</span>}
      <Link to={`/assignments/${open.id}`}>{t("work.lead.assignment")}</Link>
    </Space>
  );
}
