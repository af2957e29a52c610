import { useState } from "react";
import { Input, Segmented, Select, Space, Typography } from "antd";
import { useT } from "../../i18n/I18nProvider";
import type { MessageKey } from "../../i18n/messages";
import { SupportTicketTable } from "../customers/interactions/SupportTicketTable";
import { SUPPORT_STATUSES } from "../customers/interactions/types";

const SCOPES = ["all", "mine", "my_unit"] as const;

/** "Phiếu hỗ trợ": the support tickets I may see, by scope and status. */
export default function SupportTicketsPage() {
  const t = useT();
  const [scope, setScope] = useState<string>("mine");
  const [status, setStatus] = useState<string | undefined>();
  const [q, setQ] = useState("");
  return (
    <section>
      <Typography.Title level={1} style={{ fontSize: 22 }}>{t("ix.support.tickets")}</Typography.Title>
      <Space wrap style={{ marginBottom: 16 }}>
        <Segmented aria-label={t("ix.scope")} value={scope} onChange={setScope}
                   options={SCOPES.map((value) => ({ value, label: t(`ix.scope.${value}` as MessageKey) }))} />
        <Select allowClear aria-label={t("ix.status")} prefix={`${t("ix.status")}:`} style={{ minWidth: 200 }} value={status}
                onChange={setStatus}
                options={SUPPORT_STATUSES.map((value) => ({ value, label: t(`ix.support.status.${value}` as MessageKey) }))} />
        <Input.Search aria-label={t("common.search")} placeholder={t("ix.support.search")} allowClear style={{ width: 240 }}
                      onSearch={(value) => setQ(value.trim())} />
      </Space>
      <SupportTicketTable showCustomer params={{ scope, status, q: q || undefined }} />
    </section>
  );
}
