import { Form, Input, Modal } from "antd";
import { useT } from "../../../i18n/I18nProvider";

/** A short text asked before an action (a care result, a cancel reason, a status note). */
export function ReasonModal({ open, title, label, required, loading, onCancel, onSubmit }: {
  open: boolean;
  title: string;
  label: string;
  required: boolean;
  loading: boolean;
  onCancel: () => void;
  onSubmit: (text: string) => void;
}) {
  const t = useT();
  const [form] = Form.useForm<{ text?: string }>();
  return (
    <Modal open={open} title={title} onCancel={onCancel} onOk={() => form.submit()} confirmLoading={loading}
           okText={t("common.confirm")} cancelText={t("common.cancel")} destroyOnHidden>
      <Form form={form} name="reason" layout="vertical" onFinish={(values) => onSubmit(values.text?.trim() ?? "")}>
        <Form.Item name="text" label={label} rules={required ? [{ required: true, whitespace: true, message: t("ix.required") }] : []}>
          <Input.TextArea rows={3} maxLength={4000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
