import { lazy, Suspense, useState } from "react";
import { Button, Flex, Grid, Segmented, Space, Table, Typography } from "antd";
import { api, ApiError } from "../../api/client";
import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/I18nProvider";
import { useFeedback } from "../../lib/feedback";
import { formatDate } from "../../lib/format";
import { Link } from "../../lib/router";
import { EmptyText, ToneTag } from "../customers/interactions/ToneTag";
import { localPhone } from "../customers/detail/phone";
import PersonName from "../customers/detail/PersonName";
import { decisionOf, mayChangeDraft, reasonName } from "./logic";
import { usePaged, useReasons, useRefreshCompensation } from "./queries";
import CardList from "./CardList";
import { RequestStatusTag } from "./StatusTag";
import type { CompensationRequest, LeadPackage, RequestStatus } from "./types";

const FILTERS: RequestStatus[] = ["draft", "submitted", "approved", "rejected"];

const EditRequestModal = lazy(() => import("./EditRequestModal"));
const RequestHistory = lazy(() => import("./RequestHistory"));

/** The package's requests ("danh sách khách hàng đã yêu cầu bù", seed 000 step 6.1), newest first,
 * each with its state; a draft's reason may still change, or the draft be withdrawn. */
export default function RequestsTab({ pack }: { pack: LeadPackage }) {
  const { t, language } = useI18n();
  const { message, modal } = useFeedback();
  const { me } = useAuth();
  const reasons = useReasons();
  const refresh = useRefreshCompensation();
  const screens = Grid.useBreakpoint();
  const [editing, setEditing] = useState<CompensationRequest | null>(null);
  const [historyOf, setHistoryOf] = useState<string | null>(null);
  const [shown, setShown] = useState<RequestStatus | "">("");
  const params = { package_id: pack.id, status: shown };
  const requests = usePaged<CompensationRequest>(["compensation-requests", params], "/compensation-requests", params);
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

  const customer = (row: CompensationRequest) => (
    <Space orientation="vertical" size={0}>
      <Link to={`/customers/${row.customer_id}`}>{name(row)}</Link>
      {row.evidence?.customer?.phone && <span>{localPhone(row.evidence.customer.phone)}</span>}
    </Space>
  );
  const reason = (row: CompensationRequest) => (
    <Space orientation="vertical" size={0} style={{ maxWidth: 320 }}>
      <Typography.Text strong>{reasonName(reasons.data, row.reason_code, language)}</Typography.Text>
      {row.reason_text && <span style={{ whiteSpace: "pre-wrap" }}>{row.reason_text}</span>}
    </Space>
  );
  const status = (row: CompensationRequest) => (
    <Space size={4} wrap>
      <RequestStatusTag status={row.status} />
      {decisionOf(row).auto && row.status !== "draft" && row.status !== "submitted" && <ToneTag>{t("comp.auto")}</ToneTag>}
    </Space>
  );
  const actions = (row: CompensationRequest) => mayChangeDraft(me, row) && (
    <Space size={4} wrap>
      <Button size="small" onClick={() => setEditing(row)}
              aria-label={`${t("comp.editReason")}: ${name(row)}`}>{t("comp.editReason")}</Button>
      <Button size="small" danger onClick={() => withdraw(row)}
              aria-label={`${t("comp.withdraw")}: ${name(row)}`}>{t("comp.withdraw")}</Button>
    </Space>
  );
  const history = (id: string) => <Suspense fallback={null}><RequestHistory id={id} /></Suspense>;
  const empty = <EmptyText>{t("comp.noRequests")}</EmptyText>;

  return (
    <>
      <div style={{ overflowX: "auto", marginBottom: 12 }}>
        <Segmented<RequestStatus | ""> aria-label={t("comp.status")} value={shown} onChange={setShown}
          options={[{ value: "", label: t("comp.all") }, ...FILTERS.map((value) => ({ value, label: t(`comp.status.${value}`) }))]} />
      </div>
      {screens.md === false ? (
        <CardList<CompensationRequest> items={requests.items} loading={requests.isLoading} empty={empty}
          testId="request-item" rowKey={(row) => row.id} render={(row) => (<>
            <Flex justify="space-between" align="flex-start" gap={8}>{customer(row)}{status(row)}</Flex>
            <div style={{ margin: "6px 0" }}>{reason(row)}</div>
            {decisionOf(row).note && <div>{t("comp.decisionNote")}: {decisionOf(row).note}</div>}
            <div>{t("comp.callAttempts")}: {row.evidence?.call_attempts ?? 0} · {t("comp.deadline")}: {formatDate(row.evidence?.deadline)}</div>
            <Space size={4} wrap>
              {actions(row)}
              <Button size="small" type="link" aria-expanded={historyOf === row.id}
                      onClick={() => setHistoryOf(historyOf === row.id ? null : row.id)}>{t("comp.history")}</Button>
            </Space>
            {historyOf === row.id && history(row.id)}
          </>)} />
      ) : (
        <Table<CompensationRequest> rowKey="id" dataSource={requests.items} loading={requests.isLoading}
          pagination={false} scroll={{ x: "max-content" }} locale={{ emptyText: empty }}
          onRow={() => ({ "data-testid": "request-item" }) as object}
          expandable={{ expandedRowRender: (row) => history(row.id) }}
          columns={[
            { key: "customer", title: t("comp.customer"), render: (_, row) => customer(row) },
            { key: "status", title: t("comp.status"), render: (_, row) => status(row) },
            { key: "reason", title: t("comp.reason"), render: (_, row) => reason(row) },
            { key: "note", title: t("comp.decisionNote"), render: (_, row) => decisionOf(row).note ?? "" },
            { key: "calls", title: t("comp.callAttempts"), align: "right", render: (_, row) => row.evidence?.call_attempts ?? "" },
            { key: "deadline", title: t("comp.deadline"), render: (_, row) => formatDate(row.evidence?.deadline) },
            { key: "requester", title: t("comp.requester"), render: (_, row) => <PersonName id={row.requester_id} /> },
            { key: "created", title: t("comp.createdAt"), render: (_, row) => formatDate(row.created_at) },
            { key: "actions", title: t("comp.actions"), render: (_, row) => actions(row) },
          ]} />
      )}
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
