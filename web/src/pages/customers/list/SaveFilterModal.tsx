import { Form, Input, Modal } from "antd";
import { useT } from "../../../i18n/I18nProvider";

interface Props {
  saving: boolean;
  onSave: (name: string) => void;
  onCancel: () => void;
}

/** Names the current filter; loaded when first opened (antd's Form is ~30 KB gzipped the list never needs). */
export default function SaveFilterModal({ saving, onSave, onCancel }: Props) {
  const t = useT();
  const [form] = Form.useForm<{ name: string }>();
  return (
    <Modal open title={t("customers.list.saveFilter")} onCancel={onCancel} onOk={() => form.submit()}
           okText={t("common.save")} cancelText={t("common.cancel")} confirmLoading={saving} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={({ name }) => onSave(name.trim())}>
        <Form.Item name="name" label={t("customers.list.filterName")}
                   rules={[{ required: true, whitespace: true, message: t("customers.list.filterNameRequired") },
                           { max: 100 }]}>
          <Input maxLength={100} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
