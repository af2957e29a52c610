import { lazy, Suspense, useState } from "react";
import { Button, Space, Table, Typography } from "antd";
import { api, ApiError } from "../../api/client";
import { useI18n } from "../../i18n/I18nProvider";
import { useFeedback } from "../../lib/feedback";
import { formatDate } from "../../lib/format";
import { Link } from "../../lib/router";
import { EmptyText, ToneTag } from "../customers/interactions/ToneTag";
import { localPhone } from "../customers/detail/phone";
import PersonName from "../customers/detail/PersonName";
import { decisionOf, reasonName } from "./logic";
import { usePaged, useReasons, useRefreshCompensation } from "./queries";
import { RequestStatusTag } from "./StatusTag";
import type { CompensationRequest, LeadPackage } from "./types";

const EditRequestModal = lazy(() => import("./EditRequestModal"));

/** The package's requests ("danh sách khách hàng đã yêu cầu bù", seed 000 step 6.1), newest first,
 * each with its state; a draft's reason may still change, or the draft be withdrawn. */
export default function RequestsTab({ pack }: { pack: LeadPackage }) {
  const { t, language } = useI18n();
  const { message, modal } = useFeedback();
  const reasons = useReasons();
  const refresh = useRefreshCompensation();
  const [editing, setEditing] = useState<CompensationRequest | null>(null);
  const requests = usePaged<CompensationRequest>(["compensation-requests", { package_id: pack.id }],
                                                 "/compensation-requests", { package_id: pack.id });
  const name = (row: CompensationRequest) => row.evidence?.customer?.full_name ?? row.customer_id;

  const withdraw = (row: CompensationRequest) => modal.confirm({
    title: t("comp.withdraw"),
    content: t("comp.withdrawConfirm", { name: name(row) }),
    okText: t("comp.ok"),
    cancelText: t("common.cancel"),
    onOk: async () => {
      try {
        await api.delete(`/compensation-requests/${row.id}`, row.version);
        message.success(t("comp.withdrawn"));
      } catch (error) {
        message.error(error instanceof ApiError ? error.detail : String(error));
      }
      refresh();
    },
  });

  return (
    <>
      <Table<CompensationRequest> rowKey="id" dataSource={requests.items} loading={requests.isLoading}
        pagination={false} scroll={{ x: "max-content" }} data-testid="compensation-requests"
        locale={{ emptyText: <EmptyText>{t("comp.noRequests")}</EmptyText> }}
        columns={[
          { key: "customer", title: t("comp.customer"), render: (_, row) => (
            <Space orientation="vertical" size={0}>
              <Link to={`/customers/${row.customer_id}`}>{name(row)}</Link>
              {row.evidence?.customer?.phone && <span>{localPhone(row.evidence.customer.phone)}</span>}
            </Space>
          ) },
          { key: "reason", title: t("comp.reason"), render: (_, row) => (
            <Space orientation="vertical" size={0} style={{ maxWidth: 320 }}>
              <Typography.Text strong>{reasonName(reasons.data, row.reason_code, language)}</Typography.Text>
              {row.reason_text && <span style={{ whiteSpace: "pre-wrap" }}>{row.reason_text}</span>}
            </Space>
          ) },
          { key: "status", title: t("comp.status"), render: (_, row) => (
            <Space size={4} wrap>
              <RequestStatusTag status={row.status} />
              {decisionOf(row).auto && row.status !== "draft" && row.status !== "submitted" && <ToneTag>{t("comp.auto")}</ToneTag>}
            </Space>
          ) },
          { key: "note", title: t("comp.decisionNote"), render: (_, row) => decisionOf(row).note ?? "" },
          { key: "calls", title: t("comp.callAttempts"), align: "right", render: (_, row) => row.evidence?.call_attempts ?? "" },
          { key: "deadline", title: t("comp.deadline"), render: (_, row) => formatDate(row.evidence?.deadline) },
          { key: "requester", title: t("comp.requester"), render: (_, row) => <PersonName id={row.requester_id} /> },
          { key: "created", title: t("comp.createdAt"), render: (_, row) => formatDate(row.created_at) },
          { key: "actions", title: t("comp.actions"), render: (_, row) => row.status === "draft" && (
            <Space size={4} wrap>
              <Button size="small" onClick={() => setEditing(row)}
                      aria-label={`${t("comp.editReason")}: ${name(row)}`}>{t("comp.editReason")}</Button>
              <Button size="small" danger onClick={() => withdraw(row)}
                      aria-label={`${t("comp.withdraw")}: ${name(row)}`}>{t("comp.withdraw")}</Button>
            </Space>
          ) },
        ]} />
      {requests.hasNextPage && (
        <Button style={{ marginTop: 12 }} loading={requests.isFetchingNextPage} onClick={() => void requests.fetchNextPage()}>
          {t("common.loadMore")}
        </Button>
      )}
      {editing && (
        <Suspense fallback={null}>
          <EditRequestModal request={editing} pack={pack} onClose={() => setEditing(null)} />
        </Suspense>
      )}
    </>
  );
}
