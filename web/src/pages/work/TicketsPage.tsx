import { useState, type ComponentType } from "react";
import { Input, Segmented, Select, Space, Typography } from "antd";
import { useT } from "../../i18n/I18nProvider";
import type { Query } from "../../api/client";
import type { MessageKey } from "../../i18n/messages";

interface TicketTableProps {
  showCustomer: boolean;
  params: Query;
}

export interface TicketKind {
  title: MessageKey;
  search: MessageKey;
  /** the key prefix of a status's words, e.g. "ix.care.status" */
  statusWords: string;
  scopes: readonly string[];
  statuses: readonly string[];
  Table: ComponentType<TicketTableProps>;
}

/** The tickets I may see, by scope (Tất cả, Tôi phụ trách, Phòng tôi phụ trách …), status and text. */
export function TicketsPage({ kind }: { kind: TicketKind }) {
  const t = useT();
  const [scope, setScope] = useState<string>("mine");
  const [status, setStatus] = useState<string | undefined>();
  const [q, setQ] = useState("");
  const { Table } = kind;
  return (
    <section>
      <Typography.Title level={1} style={{ fontSize: 22 }}>{t(kind.title)}</Typography.Title>
      <Space wrap style={{ marginBottom: 16 }}>
        <Segmented aria-label={t("ix.scope")} value={scope} onChange={setScope}
                   options={kind.scopes.map((value) => ({ value, label: t(`ix.scope.${value}` as MessageKey) }))} />
        <Select allowClear aria-label={t("ix.status")} prefix={`${t("ix.status")}:`} style={{ minWidth: 200 }} value={status}
                onChange={setStatus}
                options={kind.statuses.map((value) => ({ value, label: t(`${kind.statusWords}.${value}` as MessageKey) }))} />
        <Input.Search aria-label={t("common.search")} placeholder={t(kind.search)} allowClear style={{ width: 240 }}
                      onSearch={(value) => setQ(value.trim())} />
      </Space>
      <Table showCustomer params={{ scope, status, q: q || undefined }} />
    </section>
  );
}
