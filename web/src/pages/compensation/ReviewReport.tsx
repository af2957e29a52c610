import { Alert, Spin, Table, Typography } from "antd";
import { useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";
import { useT } from "../../i18n/I18nProvider";
import { formatDate } from "../../lib/format";
import { EmptyText } from "../customers/interactions/ToneTag";
import PersonName from "../customers/detail/PersonName";
import BatchesTable from "./BatchesTable";
import { span } from "./logic";
import type { Batch } from "./types";

interface Durations {
  count: number;
  approved: number;
  rejected: number;
  median_seconds: number;
  p90_seconds: number;
}

interface ReviewSlaReport {
  from: string;
  to: string;
  review_sla_hours: number;
  by_reviewer: (Durations & { reviewer_id: string })[];
  by_provider: (Durations & { provider: string })[];
  overdue_batches: Batch[];
}

/** The review SLA: time from submission to decision (median, p90) per reviewer and per provider
 * over the last 30 days, and the batches waiting longer than the SLA. */
export default function ReviewReport() {
  const t = useT();
  const report = useQuery({
    queryKey: ["compensation-reports", "review-sla"],
    queryFn: ({ signal }) => api.get<ReviewSlaReport>("/compensation-reports/review-sla", undefined, signal),
  });
  if (report.isLoading) return <Spin />;
  if (report.error || !report.data) return <Alert type="error" title={report.error?.message} />;
  const data = report.data;
  const duration = (seconds: number) => {
    const { value, unit } = span(seconds);
    return t(`comp.age.${unit}`, { value });
  };
  const figures = <T extends Durations>() => [
    { key: "count", title: t("comp.decisions"), align: "right" as const, render: (_: unknown, row: T) => row.count },
    { key: "approved", title: t("comp.approved"), align: "right" as const, render: (_: unknown, row: T) => row.approved },
    { key: "rejected", title: t("comp.rejected"), align: "right" as const, render: (_: unknown, row: T) => row.rejected },
    { key: "median", title: t("comp.median"), render: (_: unknown, row: T) => duration(row.median_seconds) },
    { key: "p90", title: t("comp.p90"), render: (_: unknown, row: T) => duration(row.p90_seconds) },
  ];
  const empty = { emptyText: <EmptyText>{t("comp.noData")}</EmptyText> };
  return (
    <>
      <Typography.Paragraph>
        {t("comp.reportPeriod", { from: formatDate(data.from), to: formatDate(data.to), hours: data.review_sla_hours })}
      </Typography.Paragraph>
      <Typography.Title level={2} style={{ fontSize: 16 }}>{t("comp.byReviewer")}</Typography.Title>
      <Table rowKey="reviewer_id" dataSource={data.by_reviewer} pagination={false} scroll={{ x: "max-content" }} locale={empty}
        columns={[{ key: "reviewer", title: t("comp.reviewer"), render: (_, row) => <PersonName id={row.reviewer_id} /> },
                  ...figures<ReviewSlaReport["by_reviewer"][number]>()]} />
      <Typography.Title level={2} style={{ fontSize: 16, marginTop: 16 }}>{t("comp.byProvider")}</Typography.Title>
      <Table rowKey="provider" dataSource={data.by_provider} pagination={false} scroll={{ x: "max-content" }} locale={empty}
        columns={[{ key: "provider", title: t("comp.provider"), dataIndex: "provider" },
                  ...figures<ReviewSlaReport["by_provider"][number]>()]} />
      <Typography.Title level={2} style={{ fontSize: 16, marginTop: 16 }}>{t("comp.overdue")}</Typography.Title>
      <BatchesTable batches={data.overdue_batches} loading={false} reviewing />
    </>
  );
}
