import { Alert, Breadcrumb, Descriptions, Spin, Table, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useQuery } from "@tanstack/react-query";
import { api, ApiError } from "../../../api/client";
import { useT } from "../../../i18n/I18nProvider";
import type { MessageKey } from "../../../i18n/messages";
import { formatDateTime } from "../../../lib/format";
import { Link } from "../../../lib/router";
import { PersonName } from "./PersonName";
import { reportRows, type ReportLine } from "./report";
import type { JobReport, SlaJob } from "./types";

const COUNTS: [keyof ReportLine, MessageKey][] = [
  ["assigned", "work.report.assigned"], ["offered", "work.report.offered"], ["accepted", "work.report.accepted"],
  ["declined", "work.report.declined"], ["expired", "work.report.expired"], ["recalled", "work.report.recalled"],
  ["sla_missed", "work.report.slaMissed"], ["open", "work.report.open"],
  ["contacted_within_sla", "work.report.contactedWithin"], ["contacted_late", "work.report.contactedLate"],
];

/** A job's report (GET /jobs/{id}/report): per rep and in total, the leads assigned, answered, recalled
 * (of them for a missed contact deadline), contacted in time or late, and the median minutes to the
 * first contact. */
export default function JobReportPage({ id }: { id: string }) {
  const t = useT();
  const job = useQuery({ queryKey: ["job", id], queryFn: () => api.get<SlaJob>(`/jobs/${id}`) });
  const report = useQuery({ queryKey: ["job", id, "report"], queryFn: () => api.get<JobReport>(`/jobs/${id}/report`) });
  if (job.isLoading) return <Spin style={{ display: "block", margin: 48 }} />;
  if (!job.data) return <Alert type="error" showIcon title={job.error instanceof ApiError ? job.error.detail : t("common.error")} />;
  const columns: ColumnsType<ReportLine> = [
    { title: t("work.report.rep"), key: "rep", render: (_, line) => line.total
      ? <strong>{t("work.report.totals")}</strong> : <PersonName id={line.user_id} /> },
    ...COUNTS.map(([key, label]) => ({ title: t(label), dataIndex: key, align: "right" as const,
                                       render: (value: number | undefined) => value ?? 0 })),
    { title: t("work.report.median"), dataIndex: "median_minutes_to_contact", align: "right",
      render: (value: number | null) => (value === null || value === undefined ? "—" : String(Math.round(value * 10) / 10)) },
  ];
  return (
    <section aria-labelledby="job-report-title">
      <Breadcrumb style={{ marginBottom: 8 }} items={[
        { title: <Link to="/assignments/jobs">{t("work.tab.jobs")}</Link> }, { title: job.data.content }]} />
      <Typography.Title id="job-report-title" level={1} style={{ fontSize: 22 }}>
        {t("work.report.title")}: {job.data.content}
      </Typography.Title>
      <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} style={{ marginBottom: 16 }}
                    styles={{ label: { color: "rgba(0, 0, 0, 0.7)" } }} items={[
        { key: "type", label: t("work.jobType"), children: job.data.type },
        ...(job.data.target ? [{ key: "target", label: t("work.jobTarget"), children: job.data.target }] : []),
        { key: "sla", label: t("work.sla.title"), children: job.data.sla_minutes
          ? t("work.report.sla", { minutes: job.data.sla_minutes, warn: job.data.warn_before_minutes ?? 0 })
          : t("work.report.noSla") },
        { key: "by", label: t("work.jobCreatedBy"), children: <PersonName id={job.data.created_by} /> },
        { key: "created", label: t("work.createdAt"), children: formatDateTime(job.data.created_at) },
        { key: "made", label: t("work.tab.made"), children: <Link to={`/assignments/made?job=${id}`}>{t("work.jobAssignments")}</Link> },
      ]} />
      {report.error && <Alert type="error" showIcon title={report.error instanceof ApiError ? report.error.detail : t("common.error")} />}
      {/* a wide table: its own scrolling region, reachable by keyboard */}
      <div role="region" aria-label={t("work.report.title")} tabIndex={0} style={{ overflowX: "auto" }}>
        <Table<ReportLine> rowKey="key" size="small" loading={report.isLoading} pagination={false}
                           aria-label={t("work.report.title")} columns={columns}
                           dataSource={report.data ? reportRows(report.data) : []}
                           locale={{ emptyText: t("work.report.empty") }} />
      </div>
    </section>
  );
}
