// The compensation API's shapes (docs/api.md "Compensation (issue 12)"; GET /api/openapi.json is the reference).

export interface Policy {
  reasons: string[];
  window_days: number;
  /** (0, 1]: the share of the package's leads that may be compensated */
  max_share: number | string;
  min_call_attempts: number;
}

export interface LeadPackage {
  id: string;
  name: string;
  provider: string;
  owner_id: string | null;
  owner_unit_id: string | null;
  purchased_at: string;
  policy: Policy;
  leads: number;
  requested: number;
  approved: number;
  rejected: number;
  credit: number;
  version: number;
  created_at?: string;
}

export interface Reason {
  code: string;
  name: string;
  name_vi: string;
  name_en: string;
  counts_calls: boolean;
  active: boolean;
}

export type RequestStatus = "draft" | "submitted" | "approved" | "rejected" | "withdrawn";

export interface Evidence {
  delivered_at?: string | null;
  deadline?: string | null;
  call_attempts?: number | null;
  calls_by_outcome?: Record<string, number> | null;
  last_call_at?: string | null;
  customer?: { full_name?: string | null; phone?: string | null } | null;
}

export interface Decision {
  decision: "approved" | "rejected";
  /** null: an automatic rule decided */
  decided_by: string | null;
  decided_at: string | null;
  note: string | null;
  auto: boolean;
  auto_rule_id: string | null;
}

export interface CompensationRequest {
  id: string;
  package_id: string;
  customer_id: string;
  requester_id: string;
  reason_code: string;
  reason_text: string | null;
  status: RequestStatus;
  evidence: Evidence;
  batch_id: string | null;
  flag?: Record<string, unknown> | null;
  auto_rule_id: string | null;
  decision: Decision | null;
  version: number;
  created_at: string;
}

export interface ReviewSubmission {
  package_id: string;
  drafts: { id: string; reason_code: string; version: number }[];
  count: number;
  summary: { reason_code: string; count: number }[];
  confirmation_token: string;
  expires_at: string;
}

export type BatchStatus = "submitted" | "in_review" | "completed";

export interface Batch {
  id: string;
  package_id: string;
  status: BatchStatus;
  submitted_by: string;
  submitted_at: string;
  age_seconds?: number;
  /** how many; GET /compensation-batches/{id} lists them in `items` */
  requests: number;
  items?: CompensationRequest[];
  approved?: number;
  rejected?: number;
  package_name: string;
  provider: string;
  pending?: number;
  completed_at?: string | null;
}

export interface Lead {
  customer_id: string;
  full_name: string | null;
  phone: string | null;
  delivered_at: string;
  deadline: string | null;
  request: { id: string; status: RequestStatus } | null;
}

export interface Credit {
  id: string;
  request_id: string;
  customer_id: string;
  amount: number;
  created_at: string;
}
