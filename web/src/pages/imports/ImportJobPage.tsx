import { useState } from "react";
import { Alert, Button, Card, Descriptions, Flex, Result, Space, Spin, Statistic, Typography } from "antd";
import { DownloadOutlined, StopOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, useParams } from "../../lib/router";
import { api, ApiError } from "../../api/client";
import { useT } from "../../i18n/I18nProvider";
import { useFeedback } from "../../lib/feedback";
import { formatDateTime } from "../../lib/format";
import { ToneTag } from "../customers/interactions/ToneTag";
import { JobProgress } from "./JobProgress";
import { JobStatusTag } from "./JobStatusTag";
import { isFinished } from "./mapping";
import { downloadResult } from "./transfer";
import { useImportJob } from "./useImportJob";
import type { ImportJob } from "./types";

/** One import: its live progress, cancel while it runs, the result file once it ends. */
export default function ImportJobPage() {
  const t = useT();
  const { importId = "" } = useParams<{ importId: string }>();
  const { message, modal } = useFeedback();
  const queryClient = useQueryClient();
  const job = useImportJob(importId);
  const [downloading, setDownloading] = useState(false);
  const cancel = useMutation({
    mutationFn: () => api.post<ImportJob>(`/imports/${importId}/cancel`, undefined),
    onSuccess: (cancelled) => {
      queryClient.setQueryData(["import", importId], cancelled);
      void message.success(t("imp.cancelled"));
    },
    onError: (error) => {
      void message.error(error instanceof ApiError ? error.detail : t("common.error"));
      void queryClient.invalidateQueries({ queryKey: ["import", importId] });
    },
  });

  if (job.isLoading) return <Spin />;
  if (!job.data) {
    const missing = job.error instanceof ApiError && job.error.status === 404;
    return <Result status={missing ? "404" : "error"} title={missing ? t("common.notFound") : t("common.error")}
                   subTitle={missing ? t("common.notFoundDetail") : job.error?.message} />;
  }
  const data = job.data;
  const finished = isFinished(data);

  const confirmCancel = () => modal.confirm({
    title: t("imp.cancelConfirm"), okText: t("imp.cancelImport"), okButtonProps: { danger: true },
    cancelText: t("common.close"), onOk: () => cancel.mutateAsync(),
  });
  const download = async () => {
    if (!data.result_file_url) return;
    setDownloading(true);
    try {
      await downloadResult(data.result_file_url, t("imp.resultName"));
    } catch (error) {
      void message.error(error instanceof ApiError ? error.detail : t("common.error"));
    } finally {
      setDownloading(false);
    }
  };

  return (
    <section>
      <Link to="/imports">{t("imp.backToList")}</Link>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginTop: 8 }}>
        <Space wrap>
          <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
            {data.file_name ? t("imp.job", { file: data.file_name }) : t("imp.jobNoFile")}
          </Typography.Title>
          <JobStatusTag status={data.status} />
          {data.dry_run && <ToneTag tone="blue">{t("imp.dryRunTag")}</ToneTag>}
        </Space>
        <Space wrap>
          {!finished && (
            <Button danger icon={<StopOutlined />} onClick={confirmCancel} loading={cancel.isPending}
                    disabled={data.cancel_requested}>{t("imp.cancelImport")}</Button>
          )}
          {finished && data.result_file_url && (
            <Button type="primary" icon={<DownloadOutlined />} onClick={() => void download()} loading={downloading}>
              {t("imp.downloadResult")}
            </Button>
          )}
        </Space>
      </Flex>

      <Card style={{ marginTop: 16 }}>
        <JobProgress job={data} />
        {data.cancel_requested && !finished && <Typography.Paragraph>{t("imp.cancelRequested")}</Typography.Paragraph>}
        <Flex wrap gap={32} style={{ marginTop: 16 }}>
          <Statistic title={t("imp.totalRows")} value={data.total_rows ?? "—"} data-testid="count-total" />
          <Statistic title={t("imp.created")} value={data.created} data-testid="count-created" />
          <Statistic title={t("imp.updated")} value={data.updated} data-testid="count-updated" />
          <Statistic title={t("imp.failed")} value={data.failed} data-testid="count-failed" />
          <Statistic title={t("imp.duplicates")} value={data.duplicates_in_file} data-testid="count-duplicates" />
        </Flex>
      </Card>

      <Space orientation="vertical" style={{ width: "100%", marginTop: 16 }}>
        {data.status === "failed" && data.error && <Alert type="error" showIcon title={t("imp.error", { error: data.error })} />}
        {data.legacy_text_converted > 0 && (
          <Alert type="warning" showIcon title={t("imp.legacy", { count: data.legacy_text_converted })} />
        )}
        {finished && data.dry_run && <Alert type="info" showIcon title={t("imp.dryRunDone")} />}
        {finished && data.result_file_url && (
          <Alert type={data.failed ? "warning" : "success"} showIcon
                 title={data.failed ? t("imp.resultHint") : t("imp.noFailures")} />
        )}
        {!finished && <Alert type="info" showIcon title={t("imp.notifyHint")} />}
      </Space>

      <Descriptions size="small" style={{ marginTop: 16 }} styles={{ label: { color: "rgba(0, 0, 0, 0.7)" } }} column={{ xs: 1, sm: 2 }} items={[
        { key: "mode", label: t("imp.mode"), children: data.template ? t("imp.template") : t("imp.quick") },
        { key: "start", label: t("imp.startRow"), children: data.start_row },
        { key: "created", label: t("imp.createdAt"), children: formatDateTime(data.created_at) },
        { key: "started", label: t("imp.startedAt"), children: formatDateTime(data.started_at) },
        { key: "finished", label: t("imp.finishedAt"), children: formatDateTime(data.finished_at) },
      ]} />
    </section>
  );
}
