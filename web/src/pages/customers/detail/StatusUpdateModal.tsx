import { useState } from "react";
import { Form, Input, Modal, Select } from "antd";
import { useFeedback } from "../../../lib/feedback";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, ApiError, newKey } from "../../../api/client";
import type { Customer } from "../../../api/types";
import { useT } from "../../../i18n/I18nProvider";
import { useLocalName, useStatuses } from "../form/options";

interface Props {
  customer: Customer;
  open: boolean;
  onClose: () => void;
}

interface Values {
  status: string;
  note?: string;
}

/** Seed 000: choose the status, write a note, "Cập nhật ngay", then confirm with "OK". */
export default function StatusUpdateModal({ customer, open, onClose }: Props) {
  const t = useT();
  const { message, modal } = useFeedback();
  const queryClient = useQueryClient();
  const statuses = useStatuses();
  const localName = useLocalName();
  const [form] = Form.useForm<Values>();
  // one key per intended update: a retry after a lost answer applies once
  const [key, setKey] = useState(newKey);
  const update = useMutation({
    mutationFn: (values: Values) =>
      api.post<Customer>(`/customers/${customer.id}/status`, { status: values.status, note: values.note?.trim() || null },
                         { idempotencyKey: key, version: customer.version }),
    onSuccess: (row) => {
      queryClient.setQueryData(["customer", row.id], row);
      void queryClient.invalidateQueries({ queryKey: ["customer", row.id] });
      void queryClient.invalidateQueries({ queryKey: ["customers"] });
      // the history is written from the change's event, a moment later: read it again then too
      window.setTimeout(() => void queryClient.invalidateQueries({ queryKey: ["customer", row.id, "timeline"] }), 1500);
      void message.success(t("customers.status.done"));
      setKey(newKey());
      form.resetFields();
      onClose();
    },
    onError: (error) => {
      if (error instanceof ApiError) setKey(newKey()); // answered: a new attempt is a new action (a lost answer keeps the key)
      if (error instanceof ApiError && error.status === 412) {
        void queryClient.invalidateQueries({ queryKey: ["customer", customer.id] });
        void message.error(t("common.versionConflict"));
      } else if (error instanceof ApiError && error.errors.length) {
        form.setFields(error.errors.map((item) => ({ name: item.field as keyof Values, errors: [item.message] })));
      } else {
        void message.error(error.message);
      }
    },
  });

  const confirm = (values: Values) => {
    const status = localName(statuses.data?.find((item) => item.key === values.status), values.status);
    modal.confirm({
      title: t("customers.status.confirmTitle"),
      content: t("customers.status.confirm", { name: customer.name, status }),
      okText: t("customers.status.ok"),
      cancelText: t("common.cancel"),
      onOk: () => update.mutateAsync(values).catch(() => undefined),
    });
  };

  return (
    <Modal open={open} title={t("customers.status.title")} onCancel={onClose} forceRender
           okText={t("customers.status.submit")} cancelText={t("common.cancel")}
           onOk={() => form.submit()} confirmLoading={update.isPending}>
      <Form<Values> form={form} layout="vertical" onFinish={confirm} initialValues={{ status: undefined }}>
        <Form.Item name="status" label={t("customers.status.pick")}
                   rules={[{ required: true, message: t("customers.status.pickRequired") }]}>
          <Select loading={statuses.isLoading}
                  options={(statuses.data ?? []).filter((item) => item.key !== customer.status)
                    .map((item) => ({ value: item.key, label: localName(item) }))} />
        </Form.Item>
        <Form.Item name="note" label={t("customers.status.note")}>
          <Input.TextArea rows={4} placeholder={t("customers.status.note")} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
