import { useState } from "react";
import { Form, Input, InputNumber, Modal, Radio, Rate, Select } from "antd";
import { useFeedback } from "../../../lib/feedback";
import { StarFilled } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, newKey } from "../../../api/client";
import { useT } from "../../../i18n/I18nProvider";
import type { MessageKey } from "../../../i18n/messages";
import { useProblem } from "./problems";
import { CALL_OUTCOMES, type CallSheet } from "./types";

interface Values {
  direction: "in" | "out";
  outcome: string;
  minutes?: number;
  seconds?: number;
  rating?: number;
  note?: string;
}

/** "Phiếu kết quả cuộc gọi": after every call, its outcome, length, rating and what was said. */
export function CallSheetModal({ customerId, open, onClose }: { customerId: string; open: boolean; onClose: () => void }) {
  const t = useT();
  const { message } = useFeedback();
  const problem = useProblem();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [key, setKey] = useState(newKey); // one key per sheet: a retry after a dropped connection logs it once
  const save = useMutation({
    mutationFn: (values: Values) => api.post<CallSheet>(`/customers/${customerId}/calls`, {
      direction: values.direction, outcome: values.outcome,
      duration_seconds: (values.minutes ?? 0) * 60 + (values.seconds ?? 0),
      rating: values.rating || null, note: values.note?.trim() || null,
    }, { idempotencyKey: key }),
    onSuccess: () => {
      void message.success(t("ix.call.saved"));
      void queryClient.invalidateQueries({ queryKey: ["customer", customerId, "timeline"] });
      form.resetFields();
      setKey(newKey());
      onClose();
    },
    onError: (error) => problem(error, form),
  });
  return (
    <Modal open={open} title={t("ix.call.title")} onCancel={onClose} okText={t("common.save")}
           cancelText={t("common.cancel")} confirmLoading={save.isPending} onOk={() => form.submit()} destroyOnHidden>
      <Form form={form} name="callSheet" layout="vertical" initialValues={{ direction: "out", outcome: "reached", minutes: 0, seconds: 0 }}
            onFinish={(values) => save.mutate(values)}>
        <Form.Item name="direction" label={t("ix.call.direction")}>
          <Radio.Group optionType="button" options={[
            { value: "out", label: t("ix.call.direction.out") }, { value: "in", label: t("ix.call.direction.in") }]} />
        </Form.Item>
        <Form.Item name="outcome" label={t("ix.call.outcome")} rules={[{ required: true }]}>
          <Select options={CALL_OUTCOMES.map((outcome) => ({ value: outcome, label: t(`ix.call.outcome.${outcome}` as MessageKey) }))} />
        </Form.Item>
        <Form.Item label={t("ix.call.duration")} style={{ marginBottom: 0 }}>
          <Form.Item name="minutes" label={t("ix.call.minutes")} style={{ display: "inline-block", width: 140, marginRight: 8 }}>
            <InputNumber min={0} max={1440} style={{ width: "100%" }} />
          </Form.Item>
          <Form.Item name="seconds" label={t("ix.call.seconds")} style={{ display: "inline-block", width: 140 }}>
            <InputNumber min={0} max={59} style={{ width: "100%" }} />
          </Form.Item>
        </Form.Item>
        <Form.Item name="rating" label={t("ix.call.rating")}>
          <Rate aria-label={t("ix.call.rating")}
                character={({ index = 0 }) => <StarFilled aria-label={t("ix.call.stars", { count: index + 1 })} />} />
        </Form.Item>
        <Form.Item name="note" label={t("ix.call.note")}>
          <Input.TextArea rows={3} maxLength={4000} placeholder={t("ix.call.notePlaceholder")} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
