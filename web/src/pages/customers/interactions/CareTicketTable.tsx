import { useState } from "react";
import { Alert, Button, Space, Table, Typography } from "antd";
import { CheckOutlined, CloseOutlined } from "@ant-design/icons";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { api, newKey, type Page, type Query } from "../../../api/client";
import { useT } from "../../../i18n/I18nProvider";
import type { MessageKey } from "../../../i18n/messages";
import { formatDateTime } from "../../../lib/format";
import { CustomerName } from "./CustomerName";
import { PersonName } from "./people";
import { useProblem } from "./problems";
import { ReasonModal } from "./ReasonModal";
import type { CareTicket } from "./types";
import { EmptyText, ToneTag } from "./ToneTag";

export const CARE_STATUS_COLORS: Record<string, string> = { planned: "blue", done: "green", cancelled: "default" };

/** Care tickets ("Phiếu chăm sóc"): planned → done with a result ("Đã thực hiện") or cancelled with a reason. */
export function CareTicketTable({ params, showCustomer }: { params: Query; showCustomer: boolean }) {
  const t = useT();
  const problem = useProblem();
  const queryClient = useQueryClient();
  const [acting, setActing] = useState<{ ticket: CareTicket; action: "complete" | "cancel"; key: string } | null>(null);
  const tickets = useInfiniteQuery({
    queryKey: ["care-tickets", params],
    queryFn: ({ pageParam, signal }) => api.get<Page<CareTicket>>("/care-tickets",
      { ...params, limit: 50, cursor: pageParam ?? undefined }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });
  const act = useMutation({
    mutationFn: ({ ticket, action, key, text }: { ticket: CareTicket; action: "complete" | "cancel"; key: string; text: string }) =>
      api.post<CareTicket>(`/care-tickets/${ticket.id}/${action}`,
        action === "complete" ? { result: text } : { reason: text || null },
        { idempotencyKey: key, version: ticket.version }),
    onSuccess: (ticket) => {
      setActing(null);
      void queryClient.invalidateQueries({ queryKey: ["care-tickets"] });
      void queryClient.invalidateQueries({ queryKey: ["customer", ticket.customer_id, "timeline"] });
    },
    onError: (error) => problem(error),
  });
  const rows = tickets.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      {tickets.error && <Alert type="error" title={tickets.error.message} />}
      <Table<CareTicket> rowKey="id" size="small" dataSource={rows} loading={tickets.isLoading} pagination={false}
        scroll={{ x: 900 }} locale={{ emptyText: <EmptyText>{t("ix.care.empty")}</EmptyText> }}
        columns={[
          ...(showCustomer ? [{ title: t("ix.customer"), key: "customer",
                                render: (_: unknown, row: CareTicket) => <CustomerName id={row.customer_id} /> }] : []),
          { title: t("ix.care.plannedAt"), dataIndex: "planned_at", render: formatDateTime, width: 140 },
          { title: t("ix.care.method"), dataIndex: "method", width: 120,
            render: (method: string) => t(`ix.care.method.${method}` as MessageKey) },
          { title: t("ix.status"), dataIndex: "status", width: 120, render: (status: string) =>
            <ToneTag tone={CARE_STATUS_COLORS[status]}>{t(`ix.care.status.${status}` as MessageKey)}</ToneTag> },
          { title: t("ix.assignee"), dataIndex: "assignee_id", render: (id: string) => <PersonName id={id} /> },
          { title: t("ix.care.noteResult"), key: "text", render: (_, row) => (
            <Space orientation="vertical" size={0}>
              {row.note && <Typography.Text>{row.note}</Typography.Text>}
              {row.result && <Typography.Text strong>{t("ix.care.result")}: {row.result}</Typography.Text>}
              {row.cancel_reason && <Typography.Text>{t("ix.care.cancelReason")}: {row.cancel_reason}</Typography.Text>}
            </Space>
          ) },
          { title: t("common.actions"), key: "actions", width: 200, render: (_, row) => row.status === "planned" && (
            <Space wrap>
              <Button size="small" type="primary" icon={<CheckOutlined />}
                      onClick={() => setActing({ ticket: row, action: "complete", key: newKey() })}>{t("ix.care.complete")}</Button>
              <Button size="small" icon={<CloseOutlined />}
                      onClick={() => setActing({ ticket: row, action: "cancel", key: newKey() })}>{t("ix.care.cancel")}</Button>
            </Space>
          ) },
        ]} />
      {tickets.hasNextPage && (
        <Button onClick={() => void tickets.fetchNextPage()} loading={tickets.isFetchingNextPage}>{t("common.loadMore")}</Button>
      )}
      <ReasonModal open={acting !== null} loading={act.isPending} onCancel={() => setActing(null)}
                   title={acting?.action === "complete" ? t("ix.care.complete") : t("ix.care.cancel")}
                   label={acting?.action === "complete" ? t("ix.care.result") : t("ix.care.cancelReason")}
                   required={acting?.action === "complete"}
                   onSubmit={(text) => acting && act.mutate({ ...acting, text })} />
    </>
  );
}
