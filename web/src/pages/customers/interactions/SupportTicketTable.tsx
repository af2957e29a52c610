import { useState } from "react";
import { Alert, Button, Space, Table } from "antd";
import { EditOutlined } from "@ant-design/icons";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { api, newKey, type Page, type Query } from "../../../api/client";
import { useT } from "../../../i18n/I18nProvider";
import type { MessageKey } from "../../../i18n/messages";
import { formatDateTime } from "../../../lib/format";
import { CustomerName } from "./CustomerName";
import { PersonName } from "./people";
import { useProblem } from "./problems";
import { ReasonModal } from "./ReasonModal";
import { SupportTicketForm } from "./SupportTicketForm";
import type { SupportTicket } from "./types";
import { EmptyText, ToneTag } from "./ToneTag";

const COLORS: Record<string, string> = { pending: "orange", processing: "blue", done: "green", cancelled: "default" };
const NEXT: Record<string, ("processing" | "done" | "cancelled")[]> = {
  pending: ["processing", "cancelled"], processing: ["done", "cancelled"],
};

/** Support tickets ("Phiếu hỗ trợ"): pending → processing → done, or cancelled. */
export function SupportTicketTable({ params, showCustomer }: { params: Query; showCustomer: boolean }) {
  const t = useT();
  const problem = useProblem();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<SupportTicket | null>(null);
  const [moving, setMoving] = useState<{ ticket: SupportTicket; status: string; key: string } | null>(null);
  const tickets = useInfiniteQuery({
    queryKey: ["support-tickets", params],
    queryFn: ({ pageParam, signal }) => api.get<Page<SupportTicket>>("/support-tickets",
      { ...params, limit: 50, cursor: pageParam ?? undefined }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });
  const move = useMutation({
    mutationFn: ({ ticket, status, key, note }: { ticket: SupportTicket; status: string; key: string; note: string }) =>
      api.post<SupportTicket>(`/support-tickets/${ticket.id}/status`, { status, note: note || null },
                              { idempotencyKey: key, version: ticket.version }),
    onSuccess: (ticket) => {
      setMoving(null);
      void queryClient.invalidateQueries({ queryKey: ["support-tickets"] });
      void queryClient.invalidateQueries({ queryKey: ["customer", ticket.customer_id, "timeline"] });
    },
    onError: (error) => problem(error),
  });
  const rows = tickets.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      {tickets.error && <Alert type="error" title={tickets.error.message} />}
      <Table<SupportTicket> rowKey="id" size="small" dataSource={rows} loading={tickets.isLoading} pagination={false}
        scroll={{ x: 960 }} locale={{ emptyText: <EmptyText>{t("ix.support.empty")}</EmptyText> }}
        columns={[
          { title: t("ix.support.title"), dataIndex: "title", render: (title: string, row) => (
            <Button type="link" style={{ padding: 0, whiteSpace: "normal", textAlign: "left" }} onClick={() => setEditing(row)}>{title}</Button>
          ) },
          ...(showCustomer ? [{ title: t("ix.customer"), key: "customer",
                                render: (_: unknown, row: SupportTicket) => <CustomerName id={row.customer_id} /> }] : []),
          { title: t("ix.support.channel"), dataIndex: "channel", width: 110 },
          { title: t("ix.status"), dataIndex: "status", width: 120, render: (status: string) =>
            <ToneTag tone={COLORS[status]}>{t(`ix.support.status.${status}` as MessageKey)}</ToneTag> },
          { title: t("ix.support.owner"), dataIndex: "assignee_id", render: (id: string | null) => <PersonName id={id} /> },
          { title: t("ix.createdAt"), dataIndex: "created_at", render: formatDateTime, width: 140 },
          { title: t("common.actions"), key: "actions", width: 260, render: (_, row) => (
            <Space wrap>
              <Button size="small" icon={<EditOutlined />} aria-label={t("common.edit")} onClick={() => setEditing(row)} />
              {(NEXT[row.status] ?? []).map((status) => (
                <Button key={status} size="small" type={status === "cancelled" ? "default" : "primary"}
                        onClick={() => setMoving({ ticket: row, status, key: newKey() })}>
                  {t(`ix.support.to.${status}` as MessageKey)}
                </Button>
              ))}
            </Space>
          ) },
        ]} />
      {tickets.hasNextPage && (
        <Button onClick={() => void tickets.fetchNextPage()} loading={tickets.isFetchingNextPage}>{t("common.loadMore")}</Button>
      )}
      {editing && <SupportTicketForm customerId={editing.customer_id} ticket={editing} open onClose={() => setEditing(null)} />}
      <ReasonModal open={moving !== null} loading={move.isPending} required={false} onCancel={() => setMoving(null)}
                   title={moving ? t(`ix.support.to.${moving.status}` as MessageKey) : ""} label={t("ix.support.statusNote")}
                   onSubmit={(note) => moving && move.mutate({ ...moving, note })} />
    </>
  );
}
