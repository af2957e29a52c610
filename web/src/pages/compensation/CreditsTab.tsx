import { Table, Typography } from "antd";
import { useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";
import { useT } from "../../i18n/I18nProvider";
import { formatDateTime } from "../../lib/format";
import { CustomerName } from "../customers/interactions/CustomerName";
import { EmptyText } from "../customers/interactions/ToneTag";
import type { Credit, LeadPackage } from "./types";

/** The package's ledger: one replacement credit per approved request. */
export default function CreditsTab({ pack }: { pack: LeadPackage }) {
  const t = useT();
  const credits = useQuery({
    queryKey: ["lead-package-credits", pack.id],
    queryFn: ({ signal }) => api.get<{ items: Credit[]; total: number }>(`/lead-packages/${pack.id}/credits`, undefined, signal),
  });
  return (
    <>
      <Typography.Paragraph strong>{t("comp.creditTotal", { total: credits.data?.total ?? pack.credit })}</Typography.Paragraph>
      <Table<Credit> rowKey="id" dataSource={credits.data?.items ?? []} loading={credits.isLoading} pagination={false}
        scroll={{ x: "max-content" }} locale={{ emptyText: <EmptyText>{t("comp.noCredits")}</EmptyText> }}
        columns={[
          { key: "customer", title: t("comp.customer"), render: (_, row) => <CustomerName id={row.customer_id} /> },
          { key: "amount", title: t("comp.amount"), dataIndex: "amount", align: "right" },
          { key: "created", title: t("comp.createdAt"), render: (_, row) => formatDateTime(row.created_at) },
        ]} />
    </>
  );
}
