import { Button, Flex, Form, Input, InputNumber, Modal, Select, Switch } from "antd";
import { useFeedback } from "../../lib/feedback";
import { MinusCircleOutlined, PlusOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, newKey } from "../../api/client";
import type { AttributeType, CustomerAttribute } from "../../api/types";
import { useT } from "../../i18n/I18nProvider";
import { useProblem } from "./problems";
import { keyFromName } from "./text";

export const ATTRIBUTE_TYPES: AttributeType[] =
  ["text", "number", "date", "boolean", "select", "multi-select", "phone", "email", "url"];

interface Values {
  name: string;
  key: string;
  type: AttributeType;
  options?: { value: string; label: string }[];
  required: boolean;
  filterable: boolean;
  display_order: number;
}

const withOptions = (type: AttributeType | undefined) => type === "select" || type === "multi-select";

/** Thêm thuộc tính (seed 004): name, type, display order; options for the choice types. */
export function AttributeFormModal({ attribute, nextOrder, onClose }: {
  attribute?: CustomerAttribute; nextOrder: number; onClose: () => void;
}) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const [idempotencyKey] = useState(newKey);
  const [keyTouched, setKeyTouched] = useState(false);
  const type = Form.useWatch("type", form);
  const queryClient = useQueryClient();
  const problem = useProblem();
  const { message } = useFeedback();

  const save = useMutation({
    mutationFn: (values: Values) => {
      const body = { ...values, options: withOptions(values.type) ? values.options ?? [] : [] };
      return attribute
        ? api.patch<CustomerAttribute>(`/customer-attributes/${attribute.id}`, { ...body, key: undefined })
        : api.post<CustomerAttribute>("/customer-attributes", body, { idempotencyKey });
    },
    onSuccess: () => {
      void message.success(attribute ? t("admin.saved") : t("admin.created"));
      void queryClient.invalidateQueries({ queryKey: ["customer-attributes"] });
      onClose();
    },
    onError: (error) => problem(error, { form, codeFields: { key_exists: "key", attribute_option_in_use: "options" } }),
  });

  return (
    <Modal open title={attribute ? t("attributes.edit", { name: attribute.name }) : t("attributes.add")}
           onCancel={onClose} okText={t("common.save")} cancelText={t("common.close")}
           confirmLoading={save.isPending} onOk={() => form.submit()} destroyOnHidden>
      <Form<Values> form={form} name="attribute" layout="vertical" onFinish={(values) => save.mutate(values)}
                    initialValues={attribute ?? { type: "text", required: false, filterable: false, display_order: nextOrder }}
                    onValuesChange={(changed: Partial<Values>) => {
                      if (!attribute && changed.name !== undefined && !keyTouched) {
                        form.setFieldValue("key", keyFromName(changed.name));
                      }
                    }}>
        <Form.Item name="name" label={t("attributes.name")}
                   rules={[{ required: true, whitespace: true, message: t("admin.required", { field: t("attributes.name") }) }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="key" label={t("admin.key")} extra={t("admin.keyHelp")}
                   rules={[{ required: true, message: t("admin.required", { field: t("admin.key") }) }]}>
          <Input maxLength={63} disabled={Boolean(attribute)} onChange={() => setKeyTouched(true)} />
        </Form.Item>
        <Form.Item name="type" label={t("attributes.type")}>
          <Select showSearch={{ optionFilterProp: "label" }} options={ATTRIBUTE_TYPES.map((value) => ({ value, label: t(`attributes.type.${value}`) }))} />
        </Form.Item>
        {withOptions(type) && <OptionsField />}
        <Form.Item name="display_order" label={t("attributes.order")}>
          <InputNumber precision={0} style={{ width: 160 }} />
        </Form.Item>
        <Flex gap={24} wrap>
          <Form.Item name="required" label={t("attributes.required")} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="filterable" label={t("attributes.filterable")} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Flex>
      </Form>
    </Modal>
  );
}

function OptionsField() {
  const t = useT();
  return (
    <Form.List name="options" rules={[{
      validator: async (_, options?: unknown[]) => {
        if (!options?.length) throw new Error(t("attributes.optionsRequired"));
      },
    }]}>
      {(fields, { add, remove }, { errors }) => (
        <fieldset style={{ border: 0, padding: 0, margin: "0 0 16px" }}>
          <legend style={{ fontSize: 14, marginBottom: 8 }}>{t("attributes.options")}</legend>
          {fields.map((field, index) => (
            <Flex key={field.key} gap={8} align="start">
              <Form.Item name={[field.name, "label"]} rules={[{ required: true, whitespace: true, message: t("admin.required", { field: t("attributes.optionLabel") }) }]}
                         style={{ flex: 2, marginBottom: 8 }}>
                <Input aria-label={`${t("attributes.optionLabel")} ${index + 1}`} placeholder={t("attributes.optionLabel")} maxLength={200} />
              </Form.Item>
              <Form.Item name={[field.name, "value"]} rules={[{ required: true, whitespace: true, message: t("admin.required", { field: t("attributes.optionValue") }) }]}
                         style={{ flex: 1, marginBottom: 8 }}>
                <Input aria-label={`${t("attributes.optionValue")} ${index + 1}`} placeholder={t("attributes.optionValue")} maxLength={100} />
              </Form.Item>
              <Button type="text" icon={<MinusCircleOutlined />} onClick={() => remove(field.name)}
                      aria-label={`${t("attributes.removeOption")} ${index + 1}`} />
            </Flex>
          ))}
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ label: "", value: "" })}>{t("attributes.addOption")}</Button>
          <Form.ErrorList errors={errors} />
        </fieldset>
      )}
    </Form.List>
  );
}
