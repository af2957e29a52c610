import { useEffect, useMemo, useState } from "react";
import { Alert, Button, Checkbox, Flex, Form, Input, InputNumber, Modal, Radio, Select, Table, Typography } from "antd";
import { useFeedback } from "../../../lib/feedback";
import { DeleteOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, ApiError, newKey, type Page } from "../../../api/client";
import type { AssignmentJob, Distribution, RosterEntry } from "../../../api/types";
import { useT } from "../../../i18n/I18nProvider";
import { evenSplit, quantitiesCheck } from "./filters";

interface Props {
  open: boolean;
  /** the selected customers (null while they are being collected) */
  ids: string[] | null;
  onClose: () => void;
  onDone: () => void;
}

interface Values {
  jobMode: "existing" | "new";
  job_id?: string;
  content?: string;
  type?: string;
  target?: string;
  text: string;
  direct: boolean;
  recall_first: boolean;
}

/** Seed 004's "Giao sale chăm sóc": a job picked or created, the text, the active reps with a quantity
 * each that must add up to the selection, and "Giao trực tiếp không cần sale xác nhận". */
export function AssignDialog({ open, ids, onClose, onDone }: Props) {
  const t = useT();
  const { message } = useFeedback();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const jobMode = Form.useWatch("jobMode", form);
  const [chosen, setChosen] = useState<string[]>([]);
  const [quantities, setQuantities] = useState<Record<string, number | null>>({});
  const [tried, setTried] = useState(false);
  const count = ids?.length ?? 0;

  const roster = useQuery({ queryKey: ["roster"], queryFn: () => api.get<RosterEntry[]>("/roster"), enabled: open });
  const jobs = useQuery({ queryKey: ["jobs", { limit: 100 }], enabled: open,
                          queryFn: () => api.get<Page<AssignmentJob>>("/jobs", { limit: 100 }) });
  const distribute = useMutation({
    mutationFn: (body: object) => api.post<Distribution>("/assignments", body, { idempotencyKey: newKey() }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ["customers"] });
      void queryClient.invalidateQueries({ queryKey: ["assignments"] });
      void queryClient.invalidateQueries({ queryKey: ["jobs"] });
    },
  });

  useEffect(() => {
    if (!open) return;
    form.setFieldsValue({ jobMode: "existing", text: t("customers.assign.textDefault", { count }), direct: false,
                          recall_first: false });
    setChosen([]);
    setQuantities({});
    setTried(false);
    distribute.reset();
  }, [open, count, form, t]);

  const reps = useMemo(() => new Map(roster.data?.map((rep) => [rep.user_id, rep])), [roster.data]);
  const check = quantitiesCheck(Object.fromEntries(chosen.map((id) => [id, quantities[id]])), count);

  const choose = (next: string[]) => {
    const split = evenSplit(count, next.length);
    setChosen(next);
    setQuantities(Object.fromEntries(next.map((id, index) => [id, split[index]])));
  };

  const submit = async (values: Values) => {
    setTried(true);
    if (!ids || !check.ok) return;
    const job = values.jobMode === "new"
      ? { job: { content: values.content, type: values.type, target: values.target || null } }
      : { job_id: values.job_id };
    const made = await distribute.mutateAsync({
      customer_ids: ids, text: values.text, ...job, direct: values.direct, recall_first: values.recall_first,
      quantities: chosen.map((id) => ({ user_id: id, count: quantities[id] })),
    }).catch(() => null);
    if (!made) return;
    void message.success(t("customers.assign.done", { count }));
    onDone();
  };

  const required = (text: string) => [{ required: true, whitespace: true, message: text }];
  const repName = (id: string) => reps.get(id)?.full_name ?? id;

  return (
    <Modal open={open} title={t("customers.assign.title", { count })} onCancel={onClose} width={720}
           onOk={() => { setTried(true); form.submit(); }} okText={t("customers.assign.submit")}
           cancelText={t("common.cancel")} confirmLoading={distribute.isPending || ids === null} destroyOnHidden>
      {distribute.error && <Alert type="error" showIcon style={{ marginBottom: 12 }}
                                  title={distribute.error instanceof ApiError ? distribute.error.detail
                                    : t("common.error")} />}
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="jobMode" style={{ marginBottom: 12 }}>
          <Radio.Group optionType="button" aria-label={t("customers.assign.jobMode")} options={[
            { value: "existing", label: t("customers.assign.existingJob") },
            { value: "new", label: t("customers.assign.newJob") }]} />
        </Form.Item>
        {jobMode !== "new" ? (
          <Form.Item name="job_id" label={t("customers.assign.job")}
                     rules={[{ required: true, message: t("customers.assign.jobRequired") }]}>
            <Select showSearch={{ optionFilterProp: "label" }} loading={jobs.isLoading}
                    options={jobs.data?.items.map((job) => ({ value: job.id, label: `${job.content} · ${job.type}` }))} />
          </Form.Item>
        ) : (
          <Flex gap={12} wrap>
            <Form.Item name="content" label={t("customers.assign.jobContent")} style={{ flex: "2 1 240px" }}
                       rules={required(t("customers.assign.fieldRequired"))}>
              <Input maxLength={2000} />
            </Form.Item>
            <Form.Item name="type" label={t("customers.assign.jobType")} style={{ flex: "1 1 160px" }}
                       rules={required(t("customers.assign.fieldRequired"))}>
              <Input maxLength={100} />
            </Form.Item>
            <Form.Item name="target" label={t("customers.assign.jobTarget")} style={{ flex: "1 1 100%" }}>
              <Input maxLength={2000} />
            </Form.Item>
          </Flex>
        )}
        <Form.Item name="text" label={t("customers.assign.text")} rules={required(t("customers.assign.textRequired"))}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.Item label={t("customers.assign.reps")} htmlFor="assign-reps">
          <Select id="assign-reps" mode="multiple" value={chosen} onChange={choose} loading={roster.isLoading}
                  optionFilterProp="label"
                  options={roster.data?.map((rep) => ({
                    value: rep.user_id,
                    label: `${rep.full_name} (${rep.username}) · ${t("customers.assign.openLeads", { count: rep.open_leads })}`,
                  }))} />
        </Form.Item>
        {chosen.length > 0 && (
          <Table<string> size="small" rowKey={(id) => id} dataSource={chosen} pagination={false}
                         aria-label={t("customers.assign.repsTable")}
                         columns={[
                           { title: t("customers.assign.repsTable"), render: (_, id) => repName(id) },
                           { title: t("customers.assign.quantity"), width: 160, render: (_, id) => (
                             <InputNumber min={1} max={count} precision={0} value={quantities[id]}
                                          aria-label={t("customers.assign.quantityOf", { name: repName(id) })}
                                          onChange={(value) => setQuantities({ ...quantities, [id]: value })} />) },
                           { title: t("common.actions"), width: 80, render: (_, id) => (
                             <Button type="text" icon={<DeleteOutlined />}
                                     aria-label={t("customers.assign.removeRep", { name: repName(id) })}
                                     onClick={() => choose(chosen.filter((item) => item !== id))} />) },
                         ]} />
        )}
        <Typography.Paragraph strong style={{ marginTop: 8 }} data-testid="assign-sum"
                              type={check.ok ? "success" : undefined}>
          {t("customers.assign.sum", { sum: check.sum, count })}
        </Typography.Paragraph>
        {tried && !check.ok && (
          <Alert type="error" showIcon style={{ marginBottom: 12 }}
                 title={t("customers.assign.sumMismatch", { count, sum: check.sum })} />
        )}
        <Form.Item name="direct" valuePropName="checked" style={{ marginBottom: 4 }}>
          <Checkbox>{t("customers.assign.direct")}</Checkbox>
        </Form.Item>
        <Form.Item name="recall_first" valuePropName="checked">
          <Checkbox>{t("customers.assign.recallFirst")}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}
