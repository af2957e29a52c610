import { useState } from "react";
import { DatePicker, Form, Input, Modal, Select } from "antd";
import { useFeedback } from "../../../lib/feedback";
import type { Dayjs } from "dayjs";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, newKey } from "../../../api/client";
import { useT } from "../../../i18n/I18nProvider";
import type { MessageKey } from "../../../i18n/messages";
import { DATE_TIME } from "../../../lib/format";
import { PersonSelect } from "./people";
import { localDateTime, useProblem } from "./problems";
import { CARE_METHODS, type CareTicket } from "./types";

interface Values {
  method: string;
  planned_at: Dayjs;
  assignee_id?: string;
  note?: string;
}

/** "Thêm phiếu chăm sóc": how and when the customer will be cared for, and by whom. */
export function CareTicketForm({ customerId, open, onClose }: { customerId: string; open: boolean; onClose: () => void }) {
  const t = useT();
  const { message } = useFeedback();
  const problem = useProblem();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [key, setKey] = useState(newKey);
  const save = useMutation({
    mutationFn: (values: Values) => api.post<CareTicket>("/care-tickets", {
      customer_id: customerId, method: values.method, planned_at: localDateTime(values.planned_at),
      assignee_id: values.assignee_id || null, note: values.note?.trim() || null,
    }, { idempotencyKey: key }),
    onSuccess: () => {
      void message.success(t("ix.care.created"));
      void queryClient.invalidateQueries({ queryKey: ["care-tickets"] });
      form.resetFields();
      setKey(newKey());
      onClose();
    },
    onError: (error) => problem(error, form),
  });
  return (
    <Modal open={open} title={t("ix.care.create")} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending}
           okText={t("common.save")} cancelText={t("common.cancel")} destroyOnHidden>
      <Form form={form} name="careTicket" layout="vertical" initialValues={{ method: "call" }} onFinish={(values) => save.mutate(values)}>
        <Form.Item name="method" label={t("ix.care.method")} rules={[{ required: true }]}>
          <Select options={CARE_METHODS.map((method) => ({ value: method, label: t(`ix.care.method.${method}` as MessageKey) }))} />
        </Form.Item>
        <Form.Item name="planned_at" label={t("ix.care.plannedAt")} rules={[{ required: true, message: t("ix.required") }]}>
          <DatePicker showTime={{ format: "HH:mm" }} format={DATE_TIME} style={{ width: "100%" }} />
        </Form.Item>
        <Form.Item name="assignee_id" label={t("ix.assignee")} extra={t("ix.assigneeDefault")}>
          <PersonSelect label={t("ix.assignee")} />
        </Form.Item>
        <Form.Item name="note" label={t("ix.care.note")}>
          <Input.TextArea rows={3} maxLength={4000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
