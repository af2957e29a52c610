import { Table } from "antd";
import { useT } from "../../i18n/I18nProvider";
import { formatDateTime } from "../../lib/format";
import { Link } from "../../lib/router";
import { EmptyText } from "../customers/interactions/ToneTag";
import PersonName from "../customers/detail/PersonName";
import { age } from "./logic";
import { BatchStatusTag } from "./StatusTag";
import type { Batch } from "./types";

/** Batches sent for review: the reviewers' queue (with each one's age and a link to review it) or a package's. */
export default function BatchesTable({ batches, loading, reviewing }: { batches: Batch[]; loading: boolean; reviewing: boolean }) {
  const t = useT();
  return (
    <Table<Batch> rowKey="id" dataSource={batches} loading={loading} pagination={false} scroll={{ x: "max-content" }}
      locale={{ emptyText: <EmptyText>{t(reviewing ? "comp.queueEmpty" : "comp.noBatches")}</EmptyText> }}
      columns={[
        ...(reviewing ? [{ key: "package", title: t("comp.name"), render: (_: unknown, row: Batch) => (
          <Link to={`/compensation/review/${row.id}`}>{row.package_name}</Link>
        ) }] : []),
        { key: "submitted", title: t("comp.submittedAt"), render: (_, row) => formatDateTime(row.submitted_at) },
        ...(reviewing ? [{ key: "age", title: t("comp.age"), render: (_: unknown, row: Batch) => {
          if (row.status === "completed") return "";
          const { value, unit } = age(row.age_seconds ?? (Date.now() - Date.parse(row.submitted_at)) / 1000);
          return t(`comp.age.${unit}`, { value });
        } }] : []),
        { key: "by", title: t("comp.submittedBy"), render: (_, row) => <PersonName id={row.submitted_by} /> },
        { key: "requests", title: t("comp.requests"), align: "right", dataIndex: "requests" },
        { key: "approved", title: t("comp.approved"), align: "right", render: (_, row) => row.approved ?? "" },
        { key: "rejected", title: t("comp.rejected"), align: "right", render: (_, row) => row.rejected ?? "" },
        { key: "status", title: t("comp.status"), render: (_, row) => <BatchStatusTag status={row.status} /> },
      ]} />
  );
}
