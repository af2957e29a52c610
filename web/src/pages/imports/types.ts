// The import API's shapes (GET /api/openapi.json: UploadPublic, ImportPublic, the preview).

export interface Sheet {
  index: number;
  name: string;
}

export interface UploadedFile {
  id: string;
  filename: string;
  size_bytes: number;
  format: "xlsx" | "xls" | "ods" | "csv";
  encoding?: string | null;
  sha256: string;
  sheets: Sheet[];
  created_at: string;
}

export interface PreviewColumn {
  index: number;
  letter: string;
  header: string | null;
}

export interface PreviewRow {
  row_number: number;
  cells: (string | number | boolean | null)[];
}

export interface Preview {
  sheet: number;
  detected_header_row: number | null;
  columns: PreviewColumn[];
  rows: PreviewRow[];
}

export type ImportStatus = "queued" | "running" | "completed" | "failed" | "cancelled";

export interface ImportJob {
  id: string;
  status: ImportStatus;
  upload_id: string;
  file_name?: string | null;
  sheet: number;
  start_row: number;
  mapping: Record<string, number>;
  template: boolean;
  dry_run: boolean;
  group_id?: string | null;
  created_by: string;
  total_rows?: number | null;
  processed_rows: number;
  created: number;
  updated: number;
  failed: number;
  duplicates_in_file: number;
  legacy_text_converted: number;
  cancel_requested: boolean;
  error?: string | null;
  created_at: string;
  started_at?: string | null;
  finished_at?: string | null;
  result_file_url?: string | null;
}

export interface CustomerGroup {
  id: string;
  name: string;
  description: string;
}

export interface Attribute {
  key: string;
  name: string;
}

export interface ImportRequest {
  upload_id: string;
  sheet?: number;
  start_row?: number;
  mapping?: Record<string, number>;
  template?: boolean;
  dry_run?: boolean;
  group_id?: string;
  new_group?: { name: string; description?: string };
  owner_id?: string;
  lead_package_id?: string;
}
