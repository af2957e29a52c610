import { Tabs, Typography } from "antd";
import { useLocation, useNavigate } from "../../../lib/router";
import { hasRole, useAuth } from "../../../auth/AuthProvider";
import { useT } from "../../../i18n/I18nProvider";
import { JobsList } from "./JobsList";
import { MadeAssignments } from "./MadeAssignments";
import { MyOffers } from "./MyOffers";

const TABS = { offers: "/assignments", made: "/assignments/made", jobs: "/assignments/jobs" } as const;

/** Giao việc: what was assigned to me (everyone); what I assigned and the jobs (managers and admins). */
export default function AssignmentPage() {
  const t = useT();
  const { me } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const distributor = hasRole(me, "admin", "manager");
  const active = location.pathname.startsWith(TABS.made) ? "made" : location.pathname.startsWith(TABS.jobs) ? "jobs" : "offers";
  const items = [
    { key: "offers", label: t("work.tab.offers"), children: <MyOffers /> },
    ...(distributor ? [
      { key: "made", label: t("work.tab.made"), children: <MadeAssignments /> },
      { key: "jobs", label: t("work.tab.jobs"), children: <JobsList /> },
    ] : []),
  ];
  return (
    <section aria-labelledby="assignment-title">
      <Typography.Title id="assignment-title" level={1} style={{ fontSize: 22 }}>{t("work.title")}</Typography.Title>
      <Tabs activeKey={distributor ? active : "offers"} items={items} destroyOnHidden
            onChange={(key) => navigate(TABS[key as keyof typeof TABS])} />
    </section>
  );
}
