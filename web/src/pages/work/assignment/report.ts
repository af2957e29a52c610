// The job report's table: one line per rep, then the totals line (GET /jobs/{id}/report).
import type { JobReport, ReportCounts } from "./types";

export type ReportLine = ReportCounts & { key: string; user_id: string; total: boolean };

/** The reps by name, then the totals; nothing when no lead was ever assigned under the job. */
export function reportRows(report: JobReport): ReportLine[] {
  if (report.reps.length === 0) return [];
  const name = (rep: JobReport["reps"][number]) => rep.full_name || rep.username || rep.user_id;
  const reps = [...report.reps].sort((a, b) => name(a).localeCompare(name(b), "vi"))
    .map((rep) => ({ ...rep, key: rep.user_id, total: false }));
  return [...reps, { ...report.totals, key: "totals", user_id: "", total: true }];
}
