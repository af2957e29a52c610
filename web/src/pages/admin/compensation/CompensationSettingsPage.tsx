import { Tabs } from "antd";
import { useT } from "../../../i18n/I18nProvider";
import { useSearchParams } from "../../../lib/router";
import { AdminPage } from "../AdminPage";
import { ReasonsTab } from "./ReasonsTab";
import { RulesTab } from "./RulesTab";
import { SettingsTab } from "./SettingsTab";

const TABS = ["reasons", "rules", "settings"] as const;
type TabKey = (typeof TABS)[number];

/** Cài đặt bù lead: the reasons' catalogue, the auto-decision rules, the abuse guard and review SLA. */
export default function CompensationSettingsPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const asked = params.get("tab");
  const active: TabKey = TABS.includes(asked as TabKey) ? (asked as TabKey) : "reasons";
  return (
    <AdminPage id="compensation-settings" title={t("compAdmin.title")}>
      <Tabs activeKey={active} onChange={(key) => setParams({ tab: key }, { replace: true })} destroyOnHidden items={[
        { key: "reasons", label: t("compAdmin.reasons"), children: <ReasonsTab /> },
        { key: "rules", label: t("compAdmin.rules"), children: <RulesTab /> },
        { key: "settings", label: t("compAdmin.settings"), children: <SettingsTab /> },
      ]} />
    </AdminPage>
  );
}
