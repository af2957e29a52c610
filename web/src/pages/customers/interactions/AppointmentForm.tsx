import { useState } from "react";
import { Checkbox, DatePicker, Form, Input, Modal, Select } from "antd";
import { useFeedback } from "../../../lib/feedback";
import type { Dayjs } from "dayjs";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, newKey } from "../../../api/client";
import { useT } from "../../../i18n/I18nProvider";
import type { MessageKey } from "../../../i18n/messages";
import { DATE_TIME } from "../../../lib/format";
import { PersonSelect } from "./people";
import { localDateTime, useProblem } from "./problems";
import { APPOINTMENT_TYPES, type Appointment } from "./types";

interface Values {
  title: string;
  type: string;
  starts_at: Dayjs;
  ends_at?: Dayjs | null;
  all_day?: boolean;
  location?: string;
  note?: string;
  assignee_id?: string;
}

/** "Thêm mới công việc / lịch hẹn", for a customer or on its own. */
export function AppointmentForm({ customerId, open, onClose }: { customerId: string | null; open: boolean; onClose: () => void }) {
  const t = useT();
  const { message } = useFeedback();
  const problem = useProblem();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [key, setKey] = useState(newKey);
  const save = useMutation({
    mutationFn: (values: Values) => api.post<Appointment>("/appointments", {
      title: values.title.trim(), type: values.type, customer_id: customerId, starts_at: localDateTime(values.starts_at),
      ends_at: values.ends_at ? localDateTime(values.ends_at) : null, all_day: Boolean(values.all_day),
      location: values.location?.trim() || null, note: values.note?.trim() || null, assignee_id: values.assignee_id || null,
    }, { idempotencyKey: key }),
    onSuccess: () => {
      void message.success(t("ix.appointment.created"));
      void queryClient.invalidateQueries({ queryKey: ["appointments"] });
      if (customerId) void queryClient.invalidateQueries({ queryKey: ["customer", customerId, "timeline"] });
      form.resetFields();
      setKey(newKey());
      onClose();
    },
    onError: (error) => problem(error, form),
  });
  return (
    <Modal open={open} title={t("ix.appointment.create")} onCancel={onClose} onOk={() => form.submit()}
           confirmLoading={save.isPending} okText={t("common.save")} cancelText={t("common.cancel")} destroyOnHidden>
      <Form form={form} name="appointment" layout="vertical" initialValues={{ type: "meeting" }} onFinish={(values) => save.mutate(values)}>
        <Form.Item name="title" label={t("ix.appointment.title")} rules={[{ required: true, whitespace: true, message: t("ix.required") }]}>
          <Input maxLength={300} />
        </Form.Item>
        <Form.Item name="type" label={t("ix.appointment.type")}>
          <Select options={APPOINTMENT_TYPES.map((type) => ({ value: type, label: t(`ix.appointment.type.${type}` as MessageKey) }))} />
        </Form.Item>
        <Form.Item name="starts_at" label={t("ix.appointment.startsAt")} rules={[{ required: true, message: t("ix.required") }]}>
          <DatePicker showTime={{ format: "HH:mm" }} format={DATE_TIME} style={{ width: "100%" }} />
        </Form.Item>
        <Form.Item name="ends_at" label={t("ix.appointment.endsAt")}>
          <DatePicker showTime={{ format: "HH:mm" }} format={DATE_TIME} style={{ width: "100%" }} />
        </Form.Item>
        <Form.Item name="all_day" valuePropName="checked">
          <Checkbox>{t("ix.appointment.allDay")}</Checkbox>
        </Form.Item>
        <Form.Item name="assignee_id" label={t("ix.assignee")} extra={t("ix.assigneeDefault")}>
          <PersonSelect label={t("ix.assignee")} />
        </Form.Item>
        <Form.Item name="location" label={t("ix.appointment.location")}><Input maxLength={500} /></Form.Item>
        <Form.Item name="note" label={t("ix.appointment.note")}><Input.TextArea rows={3} maxLength={4000} /></Form.Item>
      </Form>
    </Modal>
  );
}
