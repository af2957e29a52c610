import { Space } from "antd";
import { useQuery } from "@tanstack/react-query";
import { api, type Page } from "../../../api/client";
import { useT } from "../../../i18n/I18nProvider";
import { Link } from "../../../lib/router";
import { leadOf } from "./sla";
import { SlaTag } from "./SlaTag";
import type { AssignmentWithSla } from "./types";
import { clockStart, useAssignmentDetail } from "./useAssignmentDetail";
import { useRefetchOnNotification } from "./useRefetchOnNotification";

/** The open assignment of a customer, newest first (GET /assignments?customer_id=). */
function useOpenAssignment(customerId: string) {
  const list = useQuery({
    queryKey: ["assignments", { customer_id: customerId }],
    queryFn: () => api.get<Page<AssignmentWithSla>>("/assignments", { customer_id: customerId, limit: 20 }),
    retry: false,
  });
  useRefetchOnNotification(list.refetch);
  return list.data?.items.find((item) => item.open_count > 0 && (item.status === "offered" || item.status === "accepted")) ?? null;
}

/** On the customer's page: the contact deadline of the lead's open assignment, counting down, and a
 * link to the assignment (nothing when the lead is in no open assignment or has no SLA). */
export default function LeadSla({ customerId }: { customerId: string }) {
  const t = useT();
  const open = useOpenAssignment(customerId);
  const { detail, job } = useAssignmentDetail(open?.id ?? null);
  const lead = detail.data ? leadOf(detail.data.customers, customerId) : null;
  if (!open || !detail.data || !lead || lead.state !== "open") return null;
  return (
    <Space wrap size={[8, 4]} data-testid="lead-sla">
      <span>{t("work.sla.title")}:</span>
      {lead.contact_due_at || lead.contacted_at
        ? <SlaTag lead={lead} rule={job.data} startedAt={clockStart(detail.data)} />
        : <span>{t("work.sla.none")}</span>}
      <Link to={`/assignments/${open.id}`}>{t("work.lead.assignment")}</Link>
    </Space>
  );
}
