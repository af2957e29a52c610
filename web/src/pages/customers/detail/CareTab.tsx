import { useState } from "react";
import { Button, Segmented, Space, Tabs } from "antd";
import { PlusOutlined } from "@ant-design/icons";
import type { Customer } from "../../../api/types";
import { useT } from "../../../i18n/I18nProvider";
import type { MessageKey } from "../../../i18n/messages";
import { AppointmentForm } from "../interactions/AppointmentForm";
import { AppointmentTable } from "../interactions/AppointmentTable";
import { CareTicketForm } from "../interactions/CareTicketForm";
import { CareTicketTable } from "../interactions/CareTicketTable";
import { SupportTicketForm } from "../interactions/SupportTicketForm";
import { SupportTicketTable } from "../interactions/SupportTicketTable";
import { CARE_STATUSES } from "../interactions/types";

function CareTickets({ customer }: { customer: Customer }) {
  const t = useT();
  const [status, setStatus] = useState<string>("all");
  const [creating, setCreating] = useState(false);
  return (
    <Space orientation="vertical" style={{ width: "100%" }}>
      <Space wrap>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>{t("ix.care.create")}</Button>
        <Segmented aria-label={t("ix.status")} value={status} onChange={setStatus} options={[
          { value: "all", label: t("common.all") },
          ...CARE_STATUSES.map((value) => ({ value, label: t(`ix.care.status.${value}` as MessageKey) }))]} />
      </Space>
      <CareTicketTable showCustomer={false}
                       params={{ customer_id: customer.id, status: status === "all" ? undefined : status }} />
      <CareTicketForm customerId={customer.id} open={creating} onClose={() => setCreating(false)} />
    </Space>
  );
}

function SupportTickets({ customer }: { customer: Customer }) {
  const t = useT();
  const [creating, setCreating] = useState(false);
  return (
    <Space orientation="vertical" style={{ width: "100%" }}>
      <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>{t("ix.support.create")}</Button>
      <SupportTicketTable showCustomer={false} params={{ customer_id: customer.id }} />
      {creating && <SupportTicketForm customerId={customer.id} ticket={null} open onClose={() => setCreating(false)} />}
    </Space>
  );
}

function Appointments({ customer }: { customer: Customer }) {
  const t = useT();
  const [creating, setCreating] = useState(false);
  return (
    <Space orientation="vertical" style={{ width: "100%" }}>
      <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>{t("ix.appointment.create")}</Button>
      <AppointmentTable showCustomer={false} params={{ customer_id: customer.id }} />
      <AppointmentForm customerId={customer.id} open={creating} onClose={() => setCreating(false)} />
    </Space>
  );
}

/** "Chăm sóc": the customer's care tickets, support tickets and appointments (seeds 001, 002). */
export default function CareTab({ customer }: { customer: Customer }) {
  const t = useT();
  return (
    <Tabs type="card" size="small" items={[
      { key: "care", label: t("ix.care.tickets"), children: <CareTickets customer={customer} /> },
      { key: "support", label: t("ix.support.tickets"), children: <SupportTickets customer={customer} /> },
      { key: "appointments", label: t("ix.appointment.list"), children: <Appointments customer={customer} /> },
    ]} />
  );
}
