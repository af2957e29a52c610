import { useState } from "react";
import { Button, Drawer, Form, Input, Select, Space } from "antd";
import { useFeedback } from "../../../lib/feedback";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, newKey, type Page } from "../../../api/client";
import { useT } from "../../../i18n/I18nProvider";
import { PersonSelect } from "./people";
import { useProblem } from "./problems";
import type { SupportTicket } from "./types";

interface Unit {
  id: string;
  name: string;
}

const TEXTS = ["content", "handling_process", "response_to_customer", "customer_feedback"] as const;
const CHANNELS = ["Điện thoại", "Email", "Zalo", "Facebook", "Website", "Trực tiếp"];

function UnitSelect({ value, onChange, id, label }: { value?: string | null; onChange?: (value: string | null) => void;
                                                    id?: string; label: string }) {
  const units = useQuery({
    queryKey: ["units", "all"], queryFn: () => api.get<Page<Unit>>("/units", { limit: 200 }), staleTime: 5 * 60_000,
    retry: false,
  });
  return (
    <Select id={id} aria-label={label} allowClear showSearch={{ optionFilterProp: "label" }} value={value ?? undefined}
            onChange={(next) => onChange?.(next ?? null)} loading={units.isLoading} disabled={Boolean(units.error)}
            options={(units.data?.items ?? []).map((unit) => ({ value: unit.id, label: unit.name }))} />
  );
}

/** "Phiếu hỗ trợ": channel, handling unit, owner, title, content, handling, response, feedback. */
export function SupportTicketForm({ customerId, ticket, open, onClose }: {
  customerId: string;
  ticket: SupportTicket | null;
  open: boolean;
  onClose: () => void;
}) {
  const t = useT();
  const { message } = useFeedback();
  const problem = useProblem();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Partial<SupportTicket>>();
  const [key, setKey] = useState(newKey);
  const save = useMutation({
    mutationFn: (values: Partial<SupportTicket>) => {
      const body: Record<string, unknown> = { ...values };
      for (const name of Object.keys(body)) if (body[name] === "" || body[name] === undefined) body[name] = null;
      if (!body.assignee_id) delete body.assignee_id;
      return ticket
        ? api.patch<SupportTicket>(`/support-tickets/${ticket.id}`, body, ticket.version)
        : api.post<SupportTicket>("/support-tickets", { ...body, customer_id: customerId }, { idempotencyKey: key });
    },
    onSuccess: () => {
      void message.success(t("common.saved"));
      void queryClient.invalidateQueries({ queryKey: ["support-tickets"] });
      setKey(newKey());
      onClose();
    },
    onError: (error) => problem(error, form),
  });
  return (
    <Drawer open={open} onClose={onClose} title={ticket ? ticket.title : t("ix.support.create")} size={560} destroyOnHidden
            extra={<Space>
              <Button onClick={onClose}>{t("common.cancel")}</Button>
              <Button type="primary" loading={save.isPending} onClick={() => form.submit()}>{t("common.save")}</Button>
            </Space>}>
      <Form form={form} name="supportTicket" layout="vertical" initialValues={ticket ?? {}} onFinish={(values) => save.mutate(values)}>
        <Form.Item name="title" label={t("ix.support.title")} rules={[{ required: true, whitespace: true, message: t("ix.required") }]}>
          <Input maxLength={300} />
        </Form.Item>
        <Form.Item name="channel" label={t("ix.support.channel")}>
          <Select allowClear options={CHANNELS.map((channel) => ({ value: channel, label: channel }))} />
        </Form.Item>
        <Form.Item name="handling_unit_id" label={t("ix.support.unit")}>
          <UnitSelect label={t("ix.support.unit")} />
        </Form.Item>
        <Form.Item name="assignee_id" label={t("ix.support.owner")} extra={ticket ? undefined : t("ix.assigneeDefault")}>
          <PersonSelect label={t("ix.support.owner")} allowClear={!ticket} />
        </Form.Item>
        <Form.Item name="contact_name" label={t("ix.support.contactName")}><Input maxLength={200} /></Form.Item>
        <Form.Item name="contact_details" label={t("ix.support.contactDetails")}><Input maxLength={500} /></Form.Item>
        {TEXTS.map((name) => (
          <Form.Item key={name} name={name} label={t(`ix.support.${name}`)}>
            <Input.TextArea rows={3} maxLength={10000} />
          </Form.Item>
        ))}
      </Form>
    </Drawer>
  );
}
