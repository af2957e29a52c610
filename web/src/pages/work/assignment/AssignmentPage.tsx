import { lazy, Suspense } from "react";
import { Grid, Select, Spin, Tabs, Typography } from "antd";
import { useLocation, useNavigate } from "../../../lib/router";
import { hasRole, useAuth } from "../../../auth/AuthProvider";
import { useT } from "../../../i18n/I18nProvider";
import { JobsList } from "./JobsList";
import { MadeAssignments } from "./MadeAssignments";
import { MyOffers } from "./MyOffers";

const AssignmentDetailPage = lazy(() => import("./AssignmentDetailPage"));
const JobReportPage = lazy(() => import("./JobReportPage"));
const RosterTab = lazy(() => import("./RosterTab").then((module) => ({ default: module.RosterTab })));
const TerritoriesTab = lazy(() => import("./TerritoriesTab").then((module) => ({ default: module.TerritoriesTab })));

const TABS = {
  offers: "/assignments", made: "/assignments/made", jobs: "/assignments/jobs", roster: "/assignments/roster",
  territories: "/assignments/territories",
} as const;
type Tab = keyof typeof TABS;
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const DETAIL = new RegExp(`^/assignments/(${UUID})/?$`, "i");
const REPORT = new RegExp(`^/assignments/jobs/(${UUID})/?$`, "i");

function activeTab(pathname: string): Tab {
  const found = (Object.keys(TABS) as Tab[]).find((key) => key !== "offers" && pathname.startsWith(TABS[key]));
  return found ?? "offers";
}

const later = (element: React.ReactElement) => <Suspense fallback={<Spin style={{ display: "block", margin: 24 }} />}>{element}</Suspense>;

/** Giao việc: what was assigned to me (everyone); what I assigned, the jobs, the team and the
 * territories (managers and admins); one assignment (/assignments/<id>) and a job's report
 * (/assignments/jobs/<id>). */
export default function AssignmentPage() {
  const t = useT();
  const { me } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const distributor = hasRole(me, "admin", "manager");
  const phone = Grid.useBreakpoint().md === false;
  const detail = DETAIL.exec(location.pathname);
  if (detail) return later(<AssignmentDetailPage id={detail[1]} />);
  const report = REPORT.exec(location.pathname);
  if (report && distributor) return later(<JobReportPage id={report[1]} />);
  const items = [
    { key: "offers", label: t("work.tab.offers"), children: <MyOffers /> },
    ...(distributor ? [
      { key: "made", label: t("work.tab.made"), children: <MadeAssignments /> },
      { key: "jobs", label: t("work.tab.jobs"), children: <JobsList /> },
      { key: "roster", label: t("work.tab.roster"), children: later(<RosterTab />) },
      { key: "territories", label: t("work.tab.territories"), children: later(<TerritoriesTab />) },
    ] : []),
  ];
  const active = distributor ? activeTab(location.pathname) : "offers";
  if (phone && distributor) {
    // five tabs do not fit a phone, and antd's overflow menu inside the tablist is not valid ARIA
    return (
      <section aria-labelledby="assignment-title">
        <Typography.Title id="assignment-title" level={1} style={{ fontSize: 22 }}>{t("work.title")}</Typography.Title>
        <Select aria-label={t("work.section")} value={active} style={{ width: "100%", marginBottom: 12 }}
                onChange={(key) => navigate(TABS[key])}
                options={items.map(({ key, label }) => ({ value: key as Tab, label }))} />
        {items.find((item) => item.key === active)?.children}
      </section>
    );
  }
  return (
    <section aria-labelledby="assignment-title">
      <Typography.Title id="assignment-title" level={1} style={{ fontSize: 22 }}>{t("work.title")}</Typography.Title>
      <Tabs activeKey={active} items={items} destroyOnHidden
            onChange={(key) => navigate(TABS[key as Tab])} />
    </section>
  );
}
