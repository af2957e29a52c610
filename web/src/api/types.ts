// The shapes of the API the console reads (the OpenAPI document at /api/openapi.json is the reference).

/** GET /customers with `with_count=true` */
export interface CustomerPage {
  items: Customer[];
  next_cursor: string | null;
  count?: number | null;
  count_exact?: boolean | null;
  fuzzy?: boolean | null;
}

/** The list's filter (CustomerFilter of POST /customers/bulk and /customers/exports; GET /customers's query). */
export interface CustomerFilter {
  scope?: "all" | "mine" | "holding" | "my_unit" | "unassigned" | "shared";
  q?: string;
  status?: string[];
  labels?: string[];
  groups?: string[];
  gender?: string[];
  province?: string[];
  source?: string[];
  customer_type?: string[];
  party_type?: string[];
  lifecycle?: string[];
  industry?: string[];
  organization_size?: string[];
  created_from?: string;
  created_to?: string;
  birthday_from?: string;
  birthday_to?: string;
  updated_from?: string;
  updated_to?: string;
  owner_id?: string[];
  holder_id?: string[];
  has_email?: boolean;
  has_tax_code?: boolean;
  has_owner?: boolean;
  has_holder?: boolean;
}

/** GET/PUT /me/views/customers: one user's filters shown, columns (in order) and defaults. */
export interface CustomerView {
  filters_shown: string[];
  columns: { key: string; width?: number | null }[];
  default_scope: string;
  default_sort: string;
  saved_filters: { name: string; filter: Record<string, unknown> }[];
  saved: boolean;
  updated_at: string | null;
}

export interface CustomerLabel {
  id: string;
  key: string;
  name: string;
  name_en: string | null;
  category: string | null;
  position: number;
}

export interface CustomerGroup {
  id: string;
  name: string;
  description: string;
}

export interface CustomerStatus {
  id: string;
  key: string;
  name: string;
  name_en: string | null;
  position: number;
}

export interface BulkResult {
  batch_id: string;
  action: string;
  matched: number;
  updated: number;
  unchanged: number;
  skipped_not_editable: number;
  not_found?: number | null;
  events: number;
}

export interface ExportJob {
  id: string;
  status: "queued" | "running" | "done" | "failed" | "expired";
  format: "csv" | "xlsx";
  row_count: number;
  file_name?: string | null;
  file_size?: number | null;
  error?: string | null;
  file_url?: string | null;
  created_at: string;
}

export interface RosterEntry {
  user_id: string;
  username: string;
  full_name: string;
  unit_id: string | null;
  unit_path: string | null;
  weight: number;
  capacity: number | null;
  open_leads: number;
}

export interface AssignmentJob {
  id: string;
  content: string;
  type: string;
  target: string | null;
  created_by: string;
  created_at: string;
}

export interface Assignment {
  id: string;
  job_id: string;
  assignee_id: string;
  assigned_by: string;
  text: string;
  direct: boolean;
  status: "offered" | "accepted" | "declined" | "expired";
  expires_at: string | null;
  created_at: string;
  decided_at: string | null;
  customer_count: number;
  open_count: number;
}

export interface AssignmentDetail extends Assignment {
  customers: { customer_id: string; previous_owner_id: string | null; state: "open" | "returned" | "recalled" }[];
}

export interface Distribution {
  job: AssignmentJob;
  assignments: Assignment[];
}

export interface RecallResult {
  assignment_id: string;
  recalled: string[];
  skipped: string[];
}

export interface PersonSummary {
  id: string;
  username: string;
  full_name: string;
  unit_id: string | null;
  unit_name: string | null;
  active: boolean;
}
export interface Customer {
  id: string;
  name: string;
  phone: string;
  email: string | null;
  birthday: string | null;
  province: { code: string; name: string } | null;
  gender: string | null;
  address: string | null;
  source: string | null;
  customer_type: string | null;
  company_name: string | null;
  tax_code: string | null;
  position: string | null;
  note: string | null;
  party_type: string;
  lifecycle: string;
  status: string;
  labels: string[];
  groups: string[];
  attributes: Record<string, unknown>;
  owner_id: string | null;
  owner_unit_id: string | null;
  holder_id: string | null;
  viewer_ids: string[];
  referred_by: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  organization_size?: string | null;
  founding_date?: string | null;
  industry?: string | null;
  description?: string | null;
  contact_person?: string | null;
  owner_unit_path?: string | null;
}

/** GET /customers/{id}/referrals: the root and, breadth first, those it referred (hidden ones only connect) */
export interface ReferralTree {
  root: { id: string; name: string; status: string; created_at: string; referred_by: string | null };
  items: {
    id: string;
    name: string | null;
    status: string | null;
    created_at: string | null;
    depth: number;
    referred_by: string;
    hidden: boolean;
  }[];
  max_depth: number;
  truncated: boolean;
}

export type UnitKind = "company" | "branch" | "department" | "team";

export interface Unit {
  id: string;
  name: string;
  kind: UnitKind;
  parent_id: string | null;
  path: string;
  depth: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export type Role = "admin" | "manager" | "sales" | "reviewer" | "integrator";

/** GET /users (admins): an account, with its version for If-Match */
export interface User {
  id: string;
  username: string;
  full_name: string;
  email: string | null;
  phone: string | null;
  unit_id: string;
  unit_path: string;
  roles: Role[];
  active: boolean;
  kind: "user" | "service";
  version: number;
  created_at: string;
  updated_at: string;
}

export type AttributeType =
  "text" | "number" | "date" | "boolean" | "select" | "multi-select" | "phone" | "email" | "url";

export interface CustomerAttribute {
  id: string;
  key: string;
  name: string;
  type: AttributeType;
  options: { value: string; label: string }[];
  required: boolean;
  display_order: number;
  filterable: boolean;
  created_at: string;
  updated_at: string;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  user_id: string;
  permissions: string[];
  rate_limit_per_minute: number | null;
  created_by: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** POST /api-keys: the secret `key` is in this answer only */
export interface ApiKeyCreated extends ApiKey {
  key: string;
}

/** GET /assignments items carry the rep's reason once declined */
export type AssignmentRecord = Assignment & { decline_reason?: string | null };
