import { lazy, Suspense, type ReactNode } from "react";
import { Result, Spin, Tabs, Typography } from "antd";
import { useQuery } from "@tanstack/react-query";
import { useNavigate, useParams } from "react-router";
import { api, ApiError } from "../../api/client";
import type { Customer } from "../../api/types";
import { useT } from "../../i18n/I18nProvider";

// The tabs of seed 001 (general, portrait, care, attachments, comments) and seed 003 (history,
// viewers, referrals); each tab is its own module, loaded when opened, and its own URL
// (/customers/<id>/<tab>) so that a colleague can be sent straight to it.
const TABS: { key: string; label: string; Tab: React.LazyExoticComponent<(props: { customer: Customer }) => ReactNode> }[] = [
  { key: "general", label: "Thông tin chung", Tab: lazy(() => import("./detail/GeneralTab")) },
  { key: "portrait", label: "Chân dung", Tab: lazy(() => import("./detail/AttributesTab")) },
  { key: "history", label: "Lịch sử", Tab: lazy(() => import("./detail/HistoryTab")) },
  { key: "care", label: "Chăm sóc", Tab: lazy(() => import("./detail/CareTab")) },
  { key: "attachments", label: "Tệp đính kèm", Tab: lazy(() => import("./detail/AttachmentsTab")) },
  { key: "comments", label: "Bình luận", Tab: lazy(() => import("./detail/CommentsTab")) },
  { key: "viewers", label: "Người xem", Tab: lazy(() => import("./detail/ViewersTab")) },
  { key: "referrals", label: "Giới thiệu", Tab: lazy(() => import("./detail/ReferralsTab")) },
];

/** A customer's page: its header (name, status, actions) and tabs. */
export default function CustomerDetailPage() {
  const t = useT();
  const { customerId, "*": rest } = useParams();
  const navigate = useNavigate();
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
  return (
    <section>
      <Typography.Title level={1} style={{ fontSize: 22 }}>{row.name}</Typography.Title>
      <Tabs activeKey={active} onChange={(key) => navigate(`/customers/${row.id}/${key}`)}
            items={TABS.map(({ key, label, Tab }) => ({
              key, label,
              children: <Suspense fallback={<Spin />}><Tab customer={row} /></Suspense>,
            }))} />
    </section>
  );
}
