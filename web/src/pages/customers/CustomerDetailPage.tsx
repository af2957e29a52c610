import { lazy, Suspense, type ReactNode } from "react";
import { Grid, Result, Select, Spin, Tabs } from "antd";
import { useQuery } from "@tanstack/react-query";
import { useNavigate, useParams } from "../../lib/router";
import { api, ApiError } from "../../api/client";
import type { Customer } from "../../api/types";
import { useT } from "../../i18n/I18nProvider";
import type { MessageKey } from "../../i18n/messages";
import CustomerHeader from "./detail/CustomerHeader";

// The tabs of seed 001 (general, portrait, care, attachments, comments) and seed 003 (history,
// viewers, referrals); each tab is its own module, loaded when opened, and its own URL
// (/customers/<id>/<tab>) so that a colleague can be sent straight to it.
const TABS: { key: string; label: MessageKey; Tab: React.LazyExoticComponent<(props: { customer: Customer }) => ReactNode> }[] = [
  { key: "general", label: "customers.detail.tabGeneral", Tab: lazy(() => import("./detail/GeneralTab")) },
  { key: "portrait", label: "customers.detail.tabPortrait", Tab: lazy(() => import("./detail/AttributesTab")) },
  { key: "history", label: "customers.detail.tabHistory", Tab: lazy(() => import("./detail/HistoryTab")) },
  { key: "care", label: "customers.detail.tabCare", Tab: lazy(() => import("./detail/CareTab")) },
  { key: "attachments", label: "customers.detail.tabAttachments", Tab: lazy(() => import("./detail/AttachmentsTab")) },
  { key: "comments", label: "customers.detail.tabComments", Tab: lazy(() => import("./detail/CommentsTab")) },
  { key: "viewers", label: "customers.detail.tabViewers", Tab: lazy(() => import("./detail/ViewersTab")) },
  { key: "referrals", label: "customers.detail.tabReferrals", Tab: lazy(() => import("./detail/ReferralsTab")) },
];

/** A customer's page ("Chi tiết khách hàng"): its header (name, phone, status, owner, actions) and tabs. */
export default function CustomerDetailPage() {
  const t = useT();
  const { customerId, "*": rest } = useParams();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const active = TABS.some((tab) => tab.key === rest) ? rest! : "general";
  const customer = useQuery({
    queryKey: ["customer", customerId],
    queryFn: () => api.get<Customer>(`/customers/${customerId}`),
  });
  if (customer.isLoading) return <Spin />;
  if (customer.error) {
    const missing = customer.error instanceof ApiError && customer.error.status === 404;
    return <Result status={missing ? "404" : "error"} title={missing ? t("common.notFound") : t("common.error")}
                   subTitle={missing ? t("common.notFoundDetail") : customer.error.message} />;
  }
  const row = customer.data!;
  if (screens.md === false) {
    // a phone: the eight tabs do not fit, and antd's overflow menu inside the tablist is not valid ARIA
    const { Tab } = TABS.find((tab) => tab.key === active)!;
    return (
      <section>
        <CustomerHeader customer={row} />
        <Select aria-label={t("customers.detail.section")} value={active} style={{ width: "100%", margin: "8px 0 12px" }}
                onChange={(key) => navigate(`/customers/${row.id}/${key}`)}
                options={TABS.map(({ key, label }) => ({ value: key, label: t(label) }))} />
        <Suspense fallback={<Spin />}><Tab customer={row} /></Suspense>
      </section>
    );
  }
  return (
    <section>
      <CustomerHeader customer={row} />
      <Tabs activeKey={active} onChange={(key) => navigate(`/customers/${row.id}/${key}`)} destroyOnHidden
            items={TABS.map(({ key, label, Tab }) => ({
              key, label: t(label),
              children: <Suspense fallback={<Spin />}><Tab customer={row} /></Suspense>,
            }))} />
    </section>
  );
}
