import { Alert, Breadcrumb, Button, Descriptions, Popconfirm, Spin, Table, Typography } from "antd";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, ApiError, newKey } from "../../../api/client";
import { hasRole, useAuth } from "../../../auth/AuthProvider";
import { useT } from "../../../i18n/I18nProvider";
import type { MessageKey } from "../../../i18n/messages";
import { useFeedback } from "../../../lib/feedback";
import { formatDateTime } from "../../../lib/format";
import { Link } from "../../../lib/router";
import { CustomerName } from "../../customers/interactions/CustomerName";
import { AssignmentStatusTag } from "./AssignmentStatusTag";
import { PersonName } from "./PersonName";
import { SlaTag } from "./SlaTag";
import type { SlaCustomer } from "./types";
import { clockStart, useAssignmentDetail } from "./useAssignmentDetail";
import { useShowError } from "./useShowError";

/** One assignment (GET /assignments/{id}): who gave what to whom, and each customer's state with its
 * contact deadline counting down; the notification of an SLA warning opens it. */
export default function AssignmentDetailPage({ id }: { id: string }) {
  const t = useT();
  const { me } = useAuth();
  const { detail, job } = useAssignmentDetail(id);
  const data = detail.data;
  if (detail.isLoading) return <Spin style={{ display: "block", margin: 48 }} />;
  if (!data) {
    return <Alert type="error" showIcon title={detail.error instanceof ApiError ? detail.error.detail : t("common.error")} />;
  }
  const start = clockStart(data);
  const distributor = hasRole(me, "admin", "manager");
  return (
    <section aria-labelledby="assignment-detail-title">
      <Breadcrumb style={{ marginBottom: 8 }} items={[
        { title: <Link to={distributor && data.assignee_id !== me?.id ? "/assignments/made" : "/assignments"}>{t("work.detail.back")}</Link> },
        { title: data.text }]} />
      <Typography.Title id="assignment-detail-title" level={1} style={{ fontSize: 22 }}>{data.text}</Typography.Title>
      <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} style={{ marginBottom: 16 }}
                    styles={{ label: { color: "rgba(0, 0, 0, 0.7)" } }} items={[
        { key: "status", label: t("work.status"), children: <AssignmentStatusTag status={data.status} /> },
        { key: "job", label: t("work.job"), children: job.data
          ? (distributor ? <Link to={`/assignments/jobs/${data.job_id}`}>{job.data.content}</Link> : job.data.content) : "…" },
        { key: "assignee", label: t("work.assignee"), children: <PersonName id={data.assignee_id} /> },
        { key: "by", label: t("work.assignedBy"), children: <PersonName id={data.assigned_by} /> },
        { key: "created", label: t("work.createdAt"), children: formatDateTime(data.created_at) },
        { key: "mode", label: t("work.detail.mode"), children: t(data.direct ? "work.detail.direct" : "work.detail.offer") },
        ...(data.strategy ? [{ key: "strategy", label: t("work.detail.strategy"),
                               children: t(`work.strategy.${data.strategy}` as MessageKey) }] : []),
        ...(data.decline_reason ? [{ key: "reason", label: t("work.declineReason"), children: data.decline_reason }] : []),
        ...(job.data?.sla_minutes ? [{ key: "sla", label: t("work.sla.title"), children: t("work.report.sla", {
          minutes: job.data.sla_minutes, warn: job.data.warn_before_minutes ?? 0 }) }] : []),
        ...(data.contact_due_at ? [{ key: "due", label: t("work.detail.earliestDue"), children: formatDateTime(data.contact_due_at) }] : []),
        ...(data.redistributed_from ? [{ key: "from", label: t("work.detail.redistributedFrom"), children:
          <Link to={`/assignments/${data.redistributed_from}`}>{t("work.detail.open")}</Link> }] : []),
      ]} />
      {distributor && data.assignee_id !== me?.id && <RecallOpen id={data.id} open={data.open_count > 0
        && (data.status === "offered" || data.status === "accepted")} />}
      <Typography.Title level={2} style={{ fontSize: 18 }}>{t("work.detail.customers")}</Typography.Title>
      <Table<SlaCustomer> rowKey="customer_id" dataSource={data.customers} pagination={data.customers.length > 50 ? { pageSize: 50 } : false}
                          scroll={{ x: "max-content" }} size="small" aria-label={t("work.detail.customers")}
                          columns={[
                            { title: t("work.detail.customer"), dataIndex: "customer_id", render: (customer: string) => <CustomerName id={customer} /> },
                            { title: t("work.detail.state"), dataIndex: "state", render: (state: SlaCustomer["state"]) =>
                              t(`work.customerState.${state}`) },
                            { title: t("work.sla.title"), key: "sla", render: (_, lead) =>
                              <SlaTag lead={lead} rule={job.data} startedAt={start} /> },
                            { title: t("work.detail.previousOwner"), dataIndex: "previous_owner_id", render: (owner: string | null) =>
                              owner ? <PersonName id={owner} /> : "—" },
                          ]} />
    </section>
  );
}

function RecallOpen({ id, open }: { id: string; open: boolean }) {
  const t = useT();
  const queryClient = useQueryClient();
  const showError = useShowError();
  const { message } = useFeedback();
  const recall = useMutation({
    mutationFn: () => api.post<{ recalled: string[] }>("/recalls", { assignment_id: id }, { idempotencyKey: newKey() }),
    onSuccess: (result) => {
      void message.success(t("work.recalled", { count: result.recalled.length }));
      void queryClient.invalidateQueries({ queryKey: ["assignment", id] });
      void queryClient.invalidateQueries({ queryKey: ["assignments"] });
      void queryClient.invalidateQueries({ queryKey: ["customers"] });
    },
    onError: showError,
  });
  if (!open) return null;
  return (
    <Popconfirm title={t("work.recallConfirm")} okText={t("work.recall")} cancelText={t("common.cancel")}
                onConfirm={() => recall.mutateAsync().catch(() => undefined)}>
      <Button loading={recall.isPending} style={{ marginBottom: 16 }}>{t("work.detail.recallAll")}</Button>
    </Popconfirm>
  );
}
