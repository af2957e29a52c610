import { Progress } from "antd";
import { useT } from "../../i18n/I18nProvider";
import { percentDone } from "./mapping";
import type { ImportJob } from "./types";

/** processed / total as a bar; a moving bar while the total is not known yet. */
export function JobProgress({ job, size }: { job: ImportJob; size?: "small" }) {
  const t = useT();
  const percent = percentDone(job);
  const text = job.total_rows != null
    ? t("imp.processed", { processed: job.processed_rows, total: job.total_rows })
    : t("imp.processedUnknown", { processed: job.processed_rows });
  const status = job.status === "failed" ? "exception" : job.status === "completed" ? "success"
    : job.status === "cancelled" ? "normal" : "active";
  return (
    <div>
      <Progress percent={percent ?? 0} status={status} size={size} aria-label={t("imp.progressLabel")}
                showInfo={percent !== null} />
      <span data-testid="import-processed">{text}</span>
    </div>
  );
}
