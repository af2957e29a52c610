import { Alert, Button, Flex, Space, Table, Typography } from "antd";
import { PlusOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { Link, useNavigate } from "../../lib/router";
import { api } from "../../api/client";
import { useT } from "../../i18n/I18nProvider";
import { formatDateTime } from "../../lib/format";
import { ToneTag } from "../customers/interactions/ToneTag";
import { JobProgress } from "./JobProgress";
import { JobStatusTag } from "./JobStatusTag";
import { isFinished } from "./mapping";
import type { ImportJob } from "./types";

/** "Nhập dữ liệu": my imports (a manager's: the unit's; an admin's: all), newest first. */
export default function ImportListPage() {
  const t = useT();
  const navigate = useNavigate();
  const jobs = useQuery({
    queryKey: ["imports"],
    queryFn: ({ signal }) => api.get<ImportJob[]>("/imports", { limit: 100 }, signal),
    refetchInterval: (query) => (query.state.data?.some((job) => !isFinished(job)) ? 1000 : false),
  });

  return (
    <section>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>{t("imp.title")}</Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate("/imports/new")}>{t("imp.new")}</Button>
      </Flex>
      {jobs.error && <Alert type="error" title={jobs.error.message} style={{ marginTop: 12 }} />}
      <Table<ImportJob> rowKey="id" dataSource={jobs.data ?? []} loading={jobs.isLoading} pagination={false}
        scroll={{ x: "max-content" }} style={{ marginTop: 16 }} locale={{ emptyText: t("imp.empty") }}
        columns={[
          { key: "file", title: t("imp.file"), render: (_, job) => (
            <Space size={4} wrap>
              <Link to={`/imports/${job.id}`}>{job.file_name || t("imp.jobNoFile")}</Link>
              {job.template && <ToneTag>{t("imp.templateTag")}</ToneTag>}
              {job.dry_run && <ToneTag tone="blue">{t("imp.dryRunTag")}</ToneTag>}
            </Space>
          ) },
          { key: "status", title: t("imp.status"), render: (_, job) => <JobStatusTag status={job.status} /> },
          { key: "progress", title: t("imp.progress"), width: 200, render: (_, job) =>
            isFinished(job)
            ? t("imp.processed", { processed: job.processed_rows, total: job.total_rows ?? job.processed_rows })
            : <JobProgress job={job} size="small" /> },
          { key: "created", title: t("imp.created"), dataIndex: "created", align: "right" },
          { key: "updated", title: t("imp.updated"), dataIndex: "updated", align: "right" },
          { key: "failed", title: t("imp.failed"), dataIndex: "failed", align: "right" },
          { key: "started", title: t("imp.startedAt"), render: (_, job) => formatDateTime(job.started_at ?? job.created_at) },
          { key: "finished", title: t("imp.finishedAt"), render: (_, job) => formatDateTime(job.finished_at) },
        ]} />
    </section>
  );
}
