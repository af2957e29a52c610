import { useEffect } from "react";
import { Alert, Form, Input, Modal, Radio, Select } from "antd";
import { useFeedback } from "../../../lib/feedback";
import { ApiError } from "../../../api/client";
import { useT } from "../../../i18n/I18nProvider";
import { useGroups, useLabels, useLocalName, useStatuses } from "./lookups";
import { useBulk, type BulkBody } from "./useBulk";

export type BulkKind = "labels" | "group" | "status";

interface Props {
  kind: BulkKind | null;
  count: number;
  target: Pick<BulkBody, "ids" | "filter">;
  onClose: () => void;
  onDone: () => void;
}

interface Values {
  mode: "add" | "remove";
  labels?: string[];
  group_id?: string;
  status?: string;
  note?: string;
}

/** Seed 001's "Cập nhật nhãn", and the same for a group and a status, on the selected customers. */
export function BulkDialog({ kind, count, target, onClose, onDone }: Props) {
  const t = useT();
  const { message } = useFeedback();
  const localName = useLocalName();
  const [form] = Form.useForm<Values>();
  const labels = useLabels();
  const groups = useGroups();
  const statuses = useStatuses();
  const bulk = useBulk();
  useEffect(() => {
    if (kind) {
      form.resetFields();
      bulk.reset();
    }
  }, [kind, form]);

  const title = kind === "labels" ? t("customers.bulk.labels") : kind === "group" ? t("customers.bulk.group")
    : t("customers.bulk.status");
  const required = [{ required: true, message: t("customers.bulk.required") }];

  const submit = async (values: Values) => {
    const body: BulkBody = kind === "labels"
      ? { action: values.mode === "add" ? "add_labels" : "remove_labels", labels: values.labels, ...target }
      : kind === "group"
        ? { action: values.mode === "add" ? "add_to_group" : "remove_from_group", group_id: values.group_id, ...target }
        : { action: "set_status", status: values.status, note: values.note || undefined, ...target };
    const result = await bulk.mutateAsync(body).catch(() => null);
    if (!result) return;
    void message.success(t("customers.bulk.done", { updated: result.updated, unchanged: result.unchanged,
                                                     skipped: result.skipped_not_editable }));
    onDone();
  };

  return (
    <Modal open={kind !== null} title={`${title} (${count})`} onCancel={onClose} onOk={() => form.submit()}
           okText={t("common.confirm")} cancelText={t("common.cancel")} confirmLoading={bulk.isPending}
           destroyOnHidden>
      {bulk.error && <Alert type="error" showIcon style={{ marginBottom: 12 }}
                            title={bulk.error instanceof ApiError ? bulk.error.detail : t("common.error")} />}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ mode: "add" }}>
        {kind !== "status" && (
          <Form.Item name="mode" label={t("customers.bulk.mode")}>
            <Radio.Group optionType="button" options={[
              { value: "add", label: kind === "labels" ? t("customers.bulk.addLabels") : t("customers.bulk.addToGroup") },
              { value: "remove", label: kind === "labels" ? t("customers.bulk.removeLabels")
                : t("customers.bulk.removeFromGroup") },
            ]} />
          </Form.Item>
        )}
        {kind === "labels" && (
          <Form.Item name="labels" label={t("customers.bulk.chooseLabels")} rules={required}>
            <Select mode="multiple" optionFilterProp="label"
                    options={labels.data?.map((label) => ({ value: label.key, label: localName(label) }))} />
          </Form.Item>
        )}
        {kind === "group" && (
          <Form.Item name="group_id" label={t("customers.bulk.chooseGroup")} rules={required}>
            <Select showSearch={{ optionFilterProp: "label" }}
                    options={groups.data?.map((group) => ({ value: group.id, label: group.name }))} />
          </Form.Item>
        )}
        {kind === "status" && (
          <>
            <Form.Item name="status" label={t("customers.bulk.chooseStatus")} rules={required}>
              <Select showSearch={{ optionFilterProp: "label" }}
                      options={statuses.data?.map((status) => ({ value: status.key, label: localName(status) }))} />
            </Form.Item>
            <Form.Item name="note" label={t("customers.bulk.note")}>
              <Input.TextArea rows={3} maxLength={2000} />
            </Form.Item>
          </>
        )}
      </Form>
    </Modal>
  );
}
