import { Alert, Button, Popconfirm, Space, Table } from "antd";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { api, newKey, type Page, type Query } from "../../../api/client";
import { useT } from "../../../i18n/I18nProvider";
import type { MessageKey } from "../../../i18n/messages";
import { formatDateTime } from "../../../lib/format";
import { CARE_STATUS_COLORS } from "./CareTicketTable";
import { CustomerName } from "./CustomerName";
import { PersonName } from "./people";
import { useProblem } from "./problems";
import type { Appointment } from "./types";
import { EmptyText, ToneTag } from "./ToneTag";

/** Appointments and tasks ("Lịch hẹn"), soonest first: planned → done | cancelled. */
export function AppointmentTable({ params, showCustomer }: { params: Query; showCustomer: boolean }) {
  const t = useT();
  const problem = useProblem();
  const queryClient = useQueryClient();
  const appointments = useInfiniteQuery({
    queryKey: ["appointments", params],
    queryFn: ({ pageParam, signal }) => api.get<Page<Appointment>>("/appointments",
      { ...params, limit: 50, cursor: pageParam ?? undefined }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });
  const setStatus = useMutation({
    mutationFn: ({ appointment, status }: { appointment: Appointment; status: "done" | "cancelled" }) =>
      api.post<Appointment>(`/appointments/${appointment.id}/status`, { status },
                            { idempotencyKey: newKey(), version: appointment.version }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["appointments"] }),
    onError: (error) => problem(error),
  });
  const rows = appointments.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      {appointments.error && <Alert type="error" title={appointments.error.message} />}
      <Table<Appointment> rowKey="id" size="small" dataSource={rows} loading={appointments.isLoading} pagination={false}
        scroll={{ x: 900 }} locale={{ emptyText: <EmptyText>{t("ix.appointment.empty")}</EmptyText> }}
        columns={[
          { title: t("ix.appointment.startsAt"), dataIndex: "starts_at", render: formatDateTime, width: 140 },
          { title: t("ix.appointment.title"), dataIndex: "title" },
          { title: t("ix.appointment.type"), dataIndex: "type", width: 120,
            render: (type: string) => t(`ix.appointment.type.${type}` as MessageKey) },
          ...(showCustomer ? [{ title: t("ix.customer"), key: "customer",
                                render: (_: unknown, row: Appointment) => <CustomerName id={row.customer_id} /> }] : []),
          { title: t("ix.assignee"), dataIndex: "assignee_id", render: (id: string) => <PersonName id={id} /> },
          { title: t("ix.status"), dataIndex: "status", width: 120, render: (status: string) =>
            <ToneTag tone={CARE_STATUS_COLORS[status]}>{t(`ix.appointment.status.${status}` as MessageKey)}</ToneTag> },
          { title: t("common.actions"), key: "actions", width: 200, render: (_, row) => row.status === "planned" && (
            <Space wrap>
              <Button size="small" type="primary" onClick={() => setStatus.mutate({ appointment: row, status: "done" })}>
                {t("ix.appointment.done")}
              </Button>
              <Popconfirm title={t("ix.appointment.cancelConfirm")} okText={t("common.confirm")} cancelText={t("common.cancel")}
                          onConfirm={() => setStatus.mutate({ appointment: row, status: "cancelled" })}>
                <Button size="small">{t("ix.appointment.cancel")}</Button>
              </Popconfirm>
            </Space>
          ) },
        ]} />
      {appointments.hasNextPage && (
        <Button onClick={() => void appointments.fetchNextPage()} loading={appointments.isFetchingNextPage}>{t("common.loadMore")}</Button>
      )}
    </>
  );
}
