import { lazy, Suspense, useState } from "react";
import { Button, Table } from "antd";
import { PlusOutlined } from "@ant-design/icons";
import { useAuth } from "../../auth/AuthProvider";
import { useT } from "../../i18n/I18nProvider";
import { formatDate } from "../../lib/format";
import { Link } from "../../lib/router";
import { EmptyText } from "../customers/interactions/ToneTag";
import { localPhone } from "../customers/detail/phone";
import { canManagePackages, mayRequest } from "./logic";
import { usePaged } from "./queries";
import { RequestStatusTag } from "./StatusTag";
import type { Lead, LeadPackage } from "./types";

const AddLeadsModal = lazy(() => import("./AddLeadsModal"));
const RequestDialog = lazy(() => import("./RequestDialog"));

/** The package's leads with their delivery, the window's deadline and the request on each, if any. */
export default function LeadsTab({ pack }: { pack: LeadPackage }) {
  const t = useT();
  const { me } = useAuth();
  const [adding, setAdding] = useState(false);
  const [asking, setAsking] = useState<Lead | null>(null);
  const leads = usePaged<Lead>(["lead-package-leads", pack.id], `/lead-packages/${pack.id}/leads`);
  return (
    <>
      {canManagePackages(me?.roles) && (
        <Button icon={<PlusOutlined aria-hidden />} style={{ marginBottom: 12 }} onClick={() => setAdding(true)}>
          {t("comp.addLeads")}
        </Button>
      )}
      <Table<Lead> rowKey="customer_id" dataSource={leads.items} loading={leads.isLoading} pagination={false}
        scroll={{ x: "max-content" }} locale={{ emptyText: <EmptyText>{t("comp.noLeads")}</EmptyText> }}
        columns={[
          { key: "customer", title: t("comp.customer"), render: (_, row) => (
            <Link to={`/customers/${row.customer_id}`}>{row.full_name ?? row.customer_id}</Link>
          ) },
          { key: "phone", title: t("comp.phone"), render: (_, row) => (row.phone ? localPhone(row.phone) : "") },
          { key: "delivered", title: t("comp.deliveredAt"), render: (_, row) => formatDate(row.delivered_at) },
          { key: "deadline", title: t("comp.deadline"), render: (_, row) => formatDate(row.deadline) },
          { key: "request", title: t("comp.status"), render: (_, row) => (row.request && row.request.status !== "withdrawn"
            ? <RequestStatusTag status={row.request.status} />
            : mayRequest(me?.roles) && (
              <Button size="small" onClick={() => setAsking(row)}
                      aria-label={`${t("comp.requestNow")}: ${row.full_name ?? row.customer_id}`}>{t("comp.requestNow")}</Button>
            )) },
        ]} />
      {leads.hasNextPage && (
        <Button style={{ marginTop: 12 }} loading={leads.isFetchingNextPage} onClick={() => void leads.fetchNextPage()}>
          {t("common.loadMore")}
        </Button>
      )}
      {adding && <Suspense fallback={null}><AddLeadsModal pack={pack} onClose={() => setAdding(false)} /></Suspense>}
      {asking && (
        <Suspense fallback={null}>
          <RequestDialog open customer={{ id: asking.customer_id, name: asking.full_name ?? asking.customer_id }} pack={pack}
                         onClose={() => setAsking(null)} />
        </Suspense>
      )}
    </>
  );
}
