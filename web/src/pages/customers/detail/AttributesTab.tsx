import { useState } from "react";
import { Button, Descriptions, Empty, Form, Space, Spin } from "antd";
import { useFeedback } from "../../../lib/feedback";
import { useQueryClient } from "@tanstack/react-query";
import { api, ApiError } from "../../../api/client";
import type { Customer } from "../../../api/types";
import { useAuth } from "../../../auth/AuthProvider";
import { useT } from "../../../i18n/I18nProvider";
import AttributeField from "../form/AttributeField";
import FieldValue from "../form/FieldValue";
import { useAttributes } from "../form/options";
import { changedBody, fieldPath, toFormValues, toPayload, type FormValues } from "../form/values";
import { canEdit } from "./canEdit";

/** "Chân dung khách hàng": the admin's attributes, read, and updated in place by who may edit. */
export default function AttributesTab({ customer }: { customer: Customer }) {
  const t = useT();
  const { me } = useAuth();
  const { message } = useFeedback();
  const queryClient = useQueryClient();
  const attributes = useAttributes();
  const [form] = Form.useForm<FormValues>();
  const [editing, setEditing] = useState(false);
  const [saving, setSaving] = useState(false);
  if (attributes.isLoading) return <Spin />;
  const definitions = attributes.data ?? [];
  if (!definitions.length) return <Empty description={t("customers.detail.portraitEmpty")} />;

  const save = async (values: FormValues) => {
    const before = toPayload(toFormValues(customer, definitions), definitions);
    const after = toPayload({ ...toFormValues(customer, definitions), attributes: values.attributes }, definitions);
    const body = changedBody(before, after);
    setSaving(true);
    try {
      if (Object.keys(body).length) {
        const row = await api.patch<Customer>(`/customers/${customer.id}`, body, customer.version);
        queryClient.setQueryData(["customer", row.id], row);
        void message.success(t("customers.form.updated"));
      }
      setEditing(false);
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) {
        void queryClient.invalidateQueries({ queryKey: ["customer", customer.id] });
        void message.error(t("common.versionConflict"));
      } else if (error instanceof ApiError && error.errors.length) {
        form.setFields(error.errors.map((item) => ({ name: fieldPath(item.field), errors: [item.message] })));
      } else {
        void message.error(error instanceof Error ? error.message : String(error));
      }
    } finally {
      setSaving(false);
    }
  };

  if (editing) {
    return (
      <Form<FormValues> form={form} layout="vertical" onFinish={save} style={{ maxWidth: 640 }}
                        initialValues={toFormValues(customer, definitions)}>
        {definitions.map((definition) => <AttributeField key={definition.id} definition={definition} />)}
        <Space>
          <Button type="primary" htmlType="submit" loading={saving}>{t("common.save")}</Button>
          <Button onClick={() => setEditing(false)}>{t("common.cancel")}</Button>
        </Space>
      </Form>
    );
  }
  return (
    <>
      <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}
                    items={definitions.map((definition) => ({
                      key: definition.key, label: definition.name,
                      children: <FieldValue path={`attributes.${definition.key}`} definitions={definitions}
                                            value={customer.attributes?.[definition.key]} />,
                    }))} />
      {canEdit(me, customer) && (
        <Button style={{ marginTop: 12 }} onClick={() => setEditing(true)}>{t("customers.detail.portraitEdit")}</Button>
      )}
    </>
  );
}
