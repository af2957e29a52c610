// The shapes issue 13 adds to the assignment API (docs/api.md, "Completed by issue 13"; the gateway's
// OpenAPI document is the reference).
import type { Assignment, AssignmentDetail, AssignmentJob, RosterEntry } from "../../../api/types";

export const STRATEGIES = ["round_robin", "weighted", "least_loaded", "by_unit", "by_province"] as const;
export type Strategy = (typeof STRATEGIES)[number];

export type SlaJob = AssignmentJob & { sla_minutes?: number | null; warn_before_minutes?: number | null };

export type RosterRow = RosterEntry & { room?: number | null };

/** One customer of an assignment with its speed-to-lead clock. */
export interface SlaCustomer {
  customer_id: string;
  previous_owner_id: string | null;
  state: "open" | "returned" | "recalled";
  sla_started_at?: string | null;
  contact_due_at?: string | null;
  warned_at?: string | null;
  contacted_at?: string | null;
  closed_at?: string | null;
  recall_reason?: string | null;
}

export type AssignmentWithSla = Assignment & {
  decline_reason?: string | null;
  strategy?: string | null;
  redistributed_from?: string | null;
  contact_due_at?: string | null;
  /** listed by customer_id: that customer's row in it */
  customer?: SlaCustomer | null;
};

export type AssignmentSlaDetail = Omit<AssignmentDetail, "customers"> & AssignmentWithSla & { customers: SlaCustomer[] };

export interface DistributionResult {
  job: SlaJob;
  assignments: Assignment[];
  matched?: number;
  assigned?: number;
  fallback?: number;
  uncovered?: { count: number; customer_ids: string[] };
}

export interface ReportCounts {
  assigned: number;
  offered: number;
  accepted: number;
  declined: number;
  expired: number;
  recalled: number;
  sla_missed?: number;
  open: number;
  contacted_within_sla: number;
  contacted_late: number;
  median_minutes_to_contact: number | null;
}

export type ReportRow = ReportCounts & { user_id: string; username: string | null; full_name: string | null };

export interface JobReport {
  job_id?: string;
  sla_minutes?: number | null;
  reps: ReportRow[];
  totals: ReportCounts;
}

export interface Territory {
  province_code: number;
  province_name: string;
  unit_id: string | null;
  unit_path: string | null;
  unit_name: string | null;
}
