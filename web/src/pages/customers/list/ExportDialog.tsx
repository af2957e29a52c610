import { useEffect, useState } from "react";
import { Alert, Button, Flex, Form, Modal, Radio, Typography } from "antd";
import { useFeedback } from "../../../lib/feedback";
import { DownloadOutlined } from "@ant-design/icons";
import { useMutation, useQuery } from "@tanstack/react-query";
import { api, ApiError, newKey } from "../../../api/client";
import type { CustomerFilter, ExportJob } from "../../../api/types";
import { useT } from "../../../i18n/I18nProvider";
import { saveFile } from "./saveFile";

interface Props {
  open: boolean;
  filter: CustomerFilter;
  /** the columns shown, in order (view keys) */
  columns: string[];
  onClose: () => void;
}

const EXPORT_NAMES: Record<string, string | null> = { owner_id: "owner", holder_id: "holder", owner_unit_id: null,
                                                      viewer_ids: null, referred_by: null };

/** The view's columns as the export's column keys (owner, holder; attributes as attr.<key>). */
export function exportColumns(columns: string[]): string[] {
  return columns.map((key) => (key.startsWith("attributes.") ? `attr.${key.slice(11)}`
    : key in EXPORT_NAMES ? EXPORT_NAMES[key] : key))
    .filter((key): key is string => Boolean(key));
}

/** "Xuất file": the list as it is filtered now, to CSV or Excel; the file is made in the background. */
export function ExportDialog({ open, filter, columns, onClose }: Props) {
  const t = useT();
  const { message } = useFeedback();
  const [format, setFormat] = useState<"csv" | "xlsx">("xlsx");
  const [jobId, setJobId] = useState<string>();
  const start = useMutation({
    mutationFn: () => api.post<ExportJob>("/customers/exports", { format, filter, columns: exportColumns(columns) },
                                          { idempotencyKey: newKey() }),
    onSuccess: (job) => setJobId(job.id),
  });
  const job = useQuery({
    queryKey: ["customer-export", jobId], enabled: Boolean(jobId),
    queryFn: () => api.get<ExportJob>(`/customers/exports/${jobId}`),
    refetchInterval: (query) => (["queued", "running"].includes(query.state.data?.status ?? "queued") ? 1000 : false),
  });
  useEffect(() => {
    if (open) {
      setJobId(undefined);
      start.reset();
    }
  }, [open]);

  const state = job.data?.status;
  const save = async () => {
    const done = job.data;
    if (!done?.file_url) return;
    try {
      await saveFile(done.file_url, done.file_name ?? `customers.${done.format}`);
    } catch (error) {
      void message.error(error instanceof ApiError ? error.detail : t("common.error"));
    }
  };

  return (
    <Modal open={open} title={t("customers.export.title")} onCancel={onClose} destroyOnHidden
           footer={[
             <Button key="close" onClick={onClose}>{t("common.close")}</Button>,
             <Button key="start" type="primary" loading={start.isPending || state === "queued" || state === "running"}
                     disabled={state === "done"} onClick={() => start.mutate()}>{t("customers.export.start")}</Button>,
           ]}>
      <Typography.Paragraph type="secondary">{t("customers.export.hint")}</Typography.Paragraph>
      <Form layout="vertical">
        <Form.Item label={t("customers.export.format")}>
          <Radio.Group value={format} onChange={(event) => setFormat(event.target.value)} disabled={Boolean(jobId)}
                       options={[{ value: "xlsx", label: "Excel (.xlsx)" }, { value: "csv", label: "CSV" }]} />
        </Form.Item>
      </Form>
      {start.error && <Alert type="error" showIcon
                             title={start.error instanceof ApiError ? start.error.detail : t("common.error")} />}
      {(state === "queued" || state === "running") && <Alert type="info" showIcon title={t("customers.export.running")} />}
      {(state === "failed" || state === "expired") && (
        <Alert type="error" showIcon title={t("customers.export.failed", { error: job.data?.error ?? state })} />
      )}
      {state === "done" && (
        <Flex vertical gap={12} align="start">
          <Alert type="success" showIcon title={t("customers.export.done", { count: job.data!.row_count })}
                 style={{ width: "100%" }} />
          <Button type="primary" icon={<DownloadOutlined />} onClick={save}>
            {t("customers.export.download", { name: job.data!.file_name ?? "" })}
          </Button>
        </Flex>
      )}
    </Modal>
  );
}
