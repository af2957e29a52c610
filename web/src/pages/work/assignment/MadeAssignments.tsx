import { useState } from "react";
import { Button, Flex, Popconfirm, Table, Tag, Typography } from "antd";
import { useFeedback } from "../../../lib/feedback";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useSearchParams } from "../../../lib/router";
import { api } from "../../../api/client";
import type { AssignmentRecord, RecallResult } from "../../../api/types";
import { useT } from "../../../i18n/I18nProvider";
import { formatDateTime } from "../../../lib/format";
import { AssignmentStatusTag } from "./AssignmentStatusTag";
import { JobName } from "./JobName";
import { PersonName } from "./PersonName";
import { StatusFilter, type StatusChoice } from "./StatusFilter";
import { useAssignments } from "./useAssignments";
import { useShowError } from "./useShowError";

/** The assignments I made: who answered what (and why not), recall what is still open. */
export function MadeAssignments() {
  const t = useT();
  const [status, setStatus] = useState<StatusChoice>("all");
  const [search] = useSearchParams();
  const jobId = search.get("job") ?? undefined;
  const navigate = useNavigate();
  const made = useAssignments("made", status, jobId);
  const rows = made.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <div>
      <Flex wrap gap={8} align="center">
        <StatusFilter value={status} onChange={setStatus} />
        {jobId && (
          <Tag closable onClose={() => navigate("/assignments/made")} style={{ marginBottom: 12 }}
               closeIcon={<span aria-label={t("common.close")}>×</span>}>
            {t("work.job")}: <JobName id={jobId} />
          </Tag>
        )}
      </Flex>
      <Table<AssignmentRecord> rowKey="id" dataSource={rows} loading={made.isLoading} pagination={false} scroll={{ x: "max-content" }}
                               columns={[
                                 { title: t("work.text"), dataIndex: "text", render: (text: string, row) => (
                                   <Link to={`/assignments/${row.id}`} aria-label={t("work.detail.openOf", { text })}>
                                     <Typography.Text>{text}</Typography.Text>
                                   </Link>) },
                                 { title: t("work.job"), dataIndex: "job_id", render: (id: string) => <JobName id={id} /> },
                                 { title: t("work.assignee"), dataIndex: "assignee_id", render: (id: string) => <PersonName id={id} /> },
                                 { title: t("work.customers"), key: "count", render: (_, row) =>
                                   t("work.openCustomers", { open: row.open_count, total: row.customer_count }) },
                                 { title: t("work.status"), dataIndex: "status", render: (value: AssignmentRecord["status"]) => <AssignmentStatusTag status={value} /> },
                                 { title: t("work.declineReason"), dataIndex: "decline_reason", render: (reason?: string | null) => reason ?? "" },
                                 { title: t("work.createdAt"), dataIndex: "created_at", render: formatDateTime },
                                 { title: t("work.expires"), key: "when", render: (_, row) =>
                                   formatDateTime(row.status === "offered" ? row.expires_at : row.decided_at) },
                                 { title: t("common.actions"), key: "actions", render: (_, row) => <RecallButton assignment={row} /> },
                               ]} />
      {made.hasNextPage && (
        <Button onClick={() => void made.fetchNextPage()} loading={made.isFetchingNextPage} style={{ marginTop: 12 }}>
          {t("common.loadMore")}
        </Button>
      )}
    </div>
  );
}

function RecallButton({ assignment }: { assignment: AssignmentRecord }) {
  const t = useT();
  const queryClient = useQueryClient();
  const showError = useShowError();
  const { message } = useFeedback();
  const recall = useMutation({
    mutationFn: () => api.post<RecallResult>("/recalls", { assignment_id: assignment.id }),
    onSuccess: (result) => {
      void message.success(t("work.recalled", { count: result.recalled.length }));
      void queryClient.invalidateQueries({ queryKey: ["assignments"] });
      void queryClient.invalidateQueries({ queryKey: ["customers"] });
    },
    onError: showError,
  });
  const open = assignment.open_count > 0 && (assignment.status === "offered" || assignment.status === "accepted");
  if (!open) return null;
  return (
    <Popconfirm title={t("work.recallConfirm")} okText={t("work.recall")} cancelText={t("common.cancel")}
                onConfirm={() => recall.mutateAsync().catch(() => undefined)}>
      <Button size="small" loading={recall.isPending} aria-label={`${t("work.recall")}: ${assignment.text}`}>{t("work.recall")}</Button>
    </Popconfirm>
  );
}
