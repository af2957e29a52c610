// The quick import's rules, kept out of the screens: the fields a column can fill, how a column is
// named to the user, which rows the import takes, a job's progress, and what is sent to the API.
import type { ImportJob, ImportStatus, PreviewColumn } from "./types";

/** The built-in fields in the template's order; name and phone come first and are required. */
export const FIELDS = [
  "name", "phone", "email", "birthday", "gender", "province", "address", "source", "customer_type", "status",
  "company_name", "tax_code", "position", "note", "party_type", "organization_size", "founding_date", "industry",
  "description", "contact_person", "lifecycle",
] as const;
export type BuiltInField = (typeof FIELDS)[number];
export const REQUIRED_FIELDS: readonly string[] = ["name", "phone"];
export const MAIN_FIELDS: readonly string[] = ["name", "phone", "email", "gender", "birthday", "province", "address", "note"];
export const ATTRIBUTE_PREFIX = "attributes.";

export const FINISHED: readonly ImportStatus[] = ["completed", "failed", "cancelled"];

export function isFinished(job: Pick<ImportJob, "status">): boolean {
  return FINISHED.includes(job.status);
}

/** "C — SĐT": the column's letter, then its header when it has one. */
export function columnLabel(column: PreviewColumn): string {
  const header = column.header?.trim();
  return header ? `${column.letter} — ${header}` : column.letter;
}

/** The first data row: the row after the detected header, else the first row. */
export function defaultStartRow(detectedHeaderRow: number | null | undefined): number {
  return detectedHeaderRow ? detectedHeaderRow + 1 : 1;
}

/** field → 1-based column number, without the fields left empty. */
export function cleanMapping(chosen: Record<string, number | null | undefined>): Record<string, number> {
  const mapping: Record<string, number> = {};
  for (const [field, column] of Object.entries(chosen)) {
    if (typeof column === "number" && column > 0) mapping[field] = column;
  }
  return mapping;
}

/** The field that already took `column`, other than `field` itself. */
export function takenBy(chosen: Record<string, number | null | undefined>, field: string, column: number | null | undefined):
  string | null {
  if (typeof column !== "number") return null;
  return Object.entries(chosen).find(([other, value]) => other !== field && value === column)?.[0] ?? null;
}

/** 0..100 of the rows processed; null while the total is not known yet. */
export function percentDone(job: Pick<ImportJob, "status" | "processed_rows" | "total_rows">): number | null {
  if (job.status === "completed") return 100;
  if (!job.total_rows) return null;
  return Math.min(100, Math.floor((job.processed_rows / job.total_rows) * 100));
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** antd's placeholders are too pale for WCAG AA contrast: the console's description grey instead. */
export const READABLE_PLACEHOLDER = { placeholder: { color: "rgba(0, 0, 0, 0.6)" } };
