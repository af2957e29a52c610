import { useState } from "react";
import { Button, Form, Input } from "antd";
import { useFeedback } from "../../../lib/feedback";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, newKey } from "../../../api/client";
import { useT } from "../../../i18n/I18nProvider";
import { useProblem } from "./problems";

/** A note on the customer's history ("Ghi chú"). */
export function NoteForm({ customerId }: { customerId: string }) {
  const t = useT();
  const { message } = useFeedback();
  const problem = useProblem();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ text: string }>();
  const [key, setKey] = useState(newKey);
  const save = useMutation({
    mutationFn: (text: string) => api.post(`/customers/${customerId}/notes`, { text }, { idempotencyKey: key }),
    onSuccess: () => {
      void message.success(t("ix.note.saved"));
      void queryClient.invalidateQueries({ queryKey: ["customer", customerId, "timeline"] });
      form.resetFields();
      setKey(newKey());
    },
    onError: (error) => problem(error, form),
  });
  return (
    <Form form={form} name="timelineNote" layout="vertical" onFinish={(values) => save.mutate(values.text.trim())}>
      <Form.Item name="text" label={t("ix.note.label")} rules={[{ required: true, whitespace: true, message: t("ix.note.required") }]}
                 style={{ marginBottom: 8 }}>
        <Input.TextArea rows={2} maxLength={4000} placeholder={t("ix.note.placeholder")} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={save.isPending}>{t("ix.note.submit")}</Button>
    </Form>
  );
}
