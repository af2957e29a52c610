import { useState } from "react";
import { Button, DatePicker, Segmented, Space, Typography } from "antd";
import { PlusOutlined } from "@ant-design/icons";
import dayjs, { type Dayjs } from "dayjs";
import { useAuth } from "../../auth/AuthProvider";
import { useT } from "../../i18n/I18nProvider";
import type { MessageKey } from "../../i18n/messages";
import { DATE } from "../../lib/format";
import { AppointmentForm } from "../customers/interactions/AppointmentForm";
import { AppointmentTable } from "../customers/interactions/AppointmentTable";
import { localDateTime } from "../customers/interactions/problems";
import { CARE_STATUSES } from "../customers/interactions/types";
import { CalendarFeedCard } from "./CalendarFeedCard";

/** "Lịch hẹn": my appointments and tasks between two dates, and the link for Google Calendar. */
export default function AppointmentsPage() {
  const t = useT();
  const { me } = useAuth();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().startOf("day"), dayjs().add(30, "day").endOf("day")]);
  const [status, setStatus] = useState<string>("planned");
  const [creating, setCreating] = useState(false);
  return (
    <section>
      <Typography.Title level={1} style={{ fontSize: 22 }}>{t("ix.appointment.list")}</Typography.Title>
      <CalendarFeedCard />
      <Space wrap style={{ marginBottom: 16 }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>{t("ix.appointment.create")}</Button>
        <DatePicker.RangePicker format={DATE} value={range} allowClear={false}
                                aria-label={t("ix.appointment.range")}
                                onChange={(next) => next?.[0] && next[1] && setRange([next[0].startOf("day"), next[1].endOf("day")])} />
        <Segmented aria-label={t("ix.status")} value={status} onChange={setStatus} options={[
          { value: "all", label: t("common.all") },
          ...CARE_STATUSES.map((value) => ({ value, label: t(`ix.appointment.status.${value}` as MessageKey) }))]} />
      </Space>
      {me && (
        <AppointmentTable showCustomer params={{
          assignee_id: me.id, status: status === "all" ? undefined : status,
          from: localDateTime(range[0]), to: localDateTime(range[1]),
        }} />
      )}
      <AppointmentForm customerId={null} open={creating} onClose={() => setCreating(false)} />
    </section>
  );
}
