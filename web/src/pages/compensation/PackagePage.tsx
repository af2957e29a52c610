import { lazy, Suspense, useState, type ComponentType } from "react";
import { Button, Descriptions, Flex, Grid, Result, Select, Space, Spin, Statistic, Tabs, Typography } from "antd";
import { ArrowLeftOutlined, EditOutlined } from "@ant-design/icons";
import { useAuth } from "../../auth/AuthProvider";
import { ApiError } from "../../api/client";
import { useI18n } from "../../i18n/I18nProvider";
import type { MessageKey } from "../../i18n/messages";
import { formatDate } from "../../lib/format";
import { Link, useParams } from "../../lib/router";
import PersonName from "../customers/detail/PersonName";
import { canManagePackages, COUNTERS, LABEL, reasonName, sharePercent } from "./logic";
import { usePackage, usePaged, useReasons } from "./queries";
import BatchesTable from "./BatchesTable";
import SubmitButton from "./SubmitButton";
import type { Batch, LeadPackage } from "./types";

const PackageFormModal = lazy(() => import("./PackageFormModal"));

const TABS: { key: string; label: MessageKey; Tab: ComponentType<{ pack: LeadPackage }> }[] = [
  { key: "requests", label: "comp.tabRequests", Tab: lazy(() => import("./RequestsTab")) },
  { key: "leads", label: "comp.tabLeads", Tab: lazy(() => import("./LeadsTab")) },
  { key: "batches", label: "comp.tabBatches", Tab: PackageBatches },
  { key: "credits", label: "comp.tabCredits", Tab: lazy(() => import("./CreditsTab")) },
];

function PackageBatches({ pack }: { pack: LeadPackage }) {
  const batches = usePaged<Batch>(["compensation-batches", { package_id: pack.id }], "/compensation-batches",
                                  { package_id: pack.id });
  return <BatchesTable batches={batches.items} loading={batches.isLoading} reviewing={false} />;
}

/** A package ("gói tài khoản"): its counters and policy, "Gửi xét duyệt", its requests with their
 * states (seed 000 steps 6–10), its leads, what was sent for review, and its credit. */
export default function PackagePage() {
  const { t, language } = useI18n();
  const { packageId } = useParams();
  const screens = Grid.useBreakpoint();
  const { me } = useAuth();
  const [active, setActive] = useState("requests");
  const [editing, setEditing] = useState(false);
  const pack = usePackage(packageId);
  const reasons = useReasons();
  if (pack.isLoading) return <Spin />;
  if (pack.error || !pack.data) {
    const missing = pack.error instanceof ApiError && pack.error.status === 404;
    return <Result status={missing ? "404" : "error"} title={missing ? t("comp.notFound") : t("common.error")}
                   subTitle={pack.error?.message} />;
  }
  const row = pack.data;
  const { Tab } = TABS.find((tab) => tab.key === active)!;
  return (
    <section>
      <Link to="/compensation"><ArrowLeftOutlined aria-hidden /> {t("comp.back")}</Link>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginTop: 8 }}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>{row.name}</Typography.Title>
        <Space wrap>
          {canManagePackages(me?.roles) && (
            <Button icon={<EditOutlined aria-hidden />} onClick={() => setEditing(true)}>{t("comp.editPackage")}</Button>
          )}
          <SubmitButton pack={row} primary />
        </Space>
      </Flex>
      <Flex wrap gap={screens.md === false ? 16 : 24} style={{ margin: "12px 0" }} data-testid="package-counters">
        {COUNTERS.map(([key, label]) => (
          <Statistic key={key} title={t(label)} value={row[key]}
                     styles={{ content: { fontSize: screens.md === false ? 18 : 24 } }} />
        ))}
      </Flex>
      <Descriptions size="small" styles={{ label: LABEL }} column={{ xs: 1, md: 2 }} style={{ marginBottom: 12 }} items={[
        { key: "provider", label: t("comp.provider"), children: row.provider },
        { key: "owner", label: t("comp.owner"), children: row.owner_id ? <PersonName id={row.owner_id} /> : "" },
        { key: "purchased", label: t("comp.purchasedAt"), children: formatDate(row.purchased_at) },
        { key: "policy", label: t("comp.policy"), children: t("comp.policyLine", {
          days: row.policy.window_days, share: sharePercent(row.policy.max_share), calls: row.policy.min_call_attempts }) },
        { key: "reasons", label: t("comp.policyReasons"),
          children: row.policy.reasons.map((code) => reasonName(reasons.data, code, language)).join(", ") },
      ]} />
      {screens.md === false ? (
        <>
          <Select aria-label={t("comp.section")} value={active} onChange={setActive} style={{ width: "100%", marginBottom: 12 }}
                  options={TABS.map(({ key, label }) => ({ value: key, label: t(label) }))} />
          <Suspense fallback={<Spin />}><Tab pack={row} /></Suspense>
        </>
      ) : (
        <Tabs activeKey={active} onChange={setActive} destroyOnHidden items={TABS.map(({ key, label, Tab: Each }) => ({
          key, label: t(label), children: <Suspense fallback={<Spin />}><Each pack={row} /></Suspense>,
        }))} />
      )}
      {editing && (
        <Suspense fallback={null}>
          <PackageFormModal open={editing} pack={row} onClose={() => setEditing(false)} />
        </Suspense>
      )}
    </section>
  );
}
