import { useState } from "react";
import { Button, Form, Input, InputNumber, Modal, Space, Table } from "antd";
import { useFeedback } from "../../../lib/feedback";
import { PlusOutlined } from "@ant-design/icons";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { Link } from "../../../lib/router";
import { ApiError, api, newKey, type Page } from "../../../api/client";
import type { SlaJob as AssignmentJob } from "./types";
import { useT } from "../../../i18n/I18nProvider";
import { formatDateTime } from "../../../lib/format";
import { PersonName } from "./PersonName";

/** Công việc: the jobs assignments are made for (seed 004: Nội dung, Loại công việc, Mục tiêu). */
export function JobsList() {
  const t = useT();
  const [creating, setCreating] = useState(false);
  const jobs = useInfiniteQuery({
    queryKey: ["jobs"],
    queryFn: ({ pageParam, signal }) => api.get<Page<AssignmentJob>>("/jobs", { cursor: pageParam, limit: 50 }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const rows = jobs.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <div>
      <Button icon={<PlusOutlined />} onClick={() => setCreating(true)} style={{ marginBottom: 12 }}>{t("work.jobCreate")}</Button>
      <Table<AssignmentJob> rowKey="id" dataSource={rows} loading={jobs.isLoading} pagination={false} scroll={{ x: "max-content" }}
                            columns={[
                              { title: t("work.jobContent"), dataIndex: "content" },
                              { title: t("work.jobType"), dataIndex: "type" },
                              { title: t("work.jobTarget"), dataIndex: "target", render: (target: string | null) => target ?? "" },
                              { title: t("work.jobSla"), dataIndex: "sla_minutes", render: (minutes?: number | null) => minutes ?? "—" },
                              { title: t("work.jobCreatedBy"), dataIndex: "created_by", render: (id: string) => <PersonName id={id} /> },
                              { title: t("work.createdAt"), dataIndex: "created_at", render: formatDateTime },
                              { title: t("common.actions"), key: "actions", render: (_, job) =>
                                <Space>
                                  <Link to={`/assignments/jobs/${job.id}`} aria-label={t("work.report.linkOf", { content: job.content })}>
                                    {t("work.report.link")}
                                  </Link>
                                  <Link to={`/assignments/made?job=${job.id}`}>{t("work.jobAssignments")}</Link>
                                </Space> },
                            ]} />
      {jobs.hasNextPage && (
        <Button onClick={() => void jobs.fetchNextPage()} loading={jobs.isFetchingNextPage} style={{ marginTop: 12 }}>
          {t("common.loadMore")}
        </Button>
      )}
      {creating && <JobCreateModal onClose={() => setCreating(false)} />}
    </div>
  );
}

interface JobValues {
  content: string;
  type: string;
  target?: string;
  sla_minutes?: number | null;
  warn_before_minutes?: number | null;
}

/** POST /jobs's body: the SLA only when given, the warning left to the service's default when empty. */
function jobBody({ sla_minutes, warn_before_minutes, ...values }: JobValues) {
  return { ...values, target: values.target || null, ...(sla_minutes ? { sla_minutes } : {}),
           ...(sla_minutes && warn_before_minutes !== null && warn_before_minutes !== undefined ? { warn_before_minutes } : {}) };
}

function JobCreateModal({ onClose }: { onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<JobValues>();
  const queryClient = useQueryClient();
  const { message } = useFeedback();
  const create = useMutation({
    mutationFn: (values: JobValues) => api.post<AssignmentJob>("/jobs", jobBody(values), { idempotencyKey: newKey() }),
    onSuccess: () => {
      void message.success(t("work.jobCreated"));
      void queryClient.invalidateQueries({ queryKey: ["jobs"] });
      onClose();
    },
    onError: (error) => {
      if (error instanceof ApiError && error.errors.length) {
        form.setFields(error.errors.map((problem) => ({ name: problem.field.replace(/^body\./, "") as keyof JobValues, errors: [problem.message] })));
      } else void message.error(error instanceof ApiError ? error.detail : t("common.error"));
    },
  });
  const required = (field: string) => [{ required: true, whitespace: true, message: t("work.required", { field }) }];
  return (
    <Modal open title={t("work.jobCreate")} onCancel={onClose} okText={t("common.save")} cancelText={t("common.cancel")}
           confirmLoading={create.isPending} onOk={() => form.submit()} destroyOnHidden>
      <Form<JobValues> form={form} name="job" layout="vertical" onFinish={(values) => create.mutate(values)}>
        <Form.Item name="content" label={t("work.jobContent")} rules={required(t("work.jobContent"))}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.Item name="type" label={t("work.jobType")} rules={required(t("work.jobType"))}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="target" label={t("work.jobTarget")}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.Item name="sla_minutes" label={t("work.jobSla")}>
          <InputNumber min={1} max={43_200} precision={0} style={{ width: "100%" }} />
        </Form.Item>
        <Form.Item name="warn_before_minutes" label={t("work.jobWarn")} extra={t("work.jobWarnHint")}>
          <InputNumber min={0} max={43_199} precision={0} style={{ width: "100%" }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
