import { Form, Input, Modal, Typography } from "antd";
import { useT } from "../../../i18n/I18nProvider";

/** Từ chối: the rep may say why (≤ 500 characters); the assigner sees it. */
export function DeclineModal({ text, pending, onDecline, onClose }: {
  text: string; pending: boolean; onDecline: (reason: string | null) => void; onClose: () => void;
}) {
  const t = useT();
  const [form] = Form.useForm<{ reason?: string }>();
  return (
    <Modal open title={t("work.declineTitle")} onCancel={onClose} okText={t("work.decline")}
           okButtonProps={{ danger: true }} cancelText={t("common.cancel")} confirmLoading={pending}
           onOk={() => form.submit()} destroyOnHidden>
      <Typography.Paragraph strong>{text}</Typography.Paragraph>
      <Typography.Paragraph type="secondary">{t("work.declineHint")}</Typography.Paragraph>
      <Form form={form} name="decline" layout="vertical" onFinish={({ reason }) => onDecline(reason?.trim() || null)}>
        <Form.Item name="reason" label={t("work.declineReason")}>
          <Input.TextArea rows={3} maxLength={500} showCount autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}
