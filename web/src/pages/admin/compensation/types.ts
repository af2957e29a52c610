// The compensation service's admin shapes (the gateway's /api/openapi.json is the reference).
export type RuleKind = "min_calls_with_outcome" | "duplicate_of_provider_lead";
export type RuleDecision = "approved" | "rejected";

export const RULE_KINDS: RuleKind[] = ["min_calls_with_outcome", "duplicate_of_provider_lead"];
export const RULE_DECISIONS: RuleDecision[] = ["approved", "rejected"];

export interface Rule {
  id: string;
  reason_code: string;
  kind: RuleKind;
  params: { min_calls?: number | null; outcome?: string | null };
  decision: RuleDecision;
  active: boolean;
  position: number;
  version: number;
}

export interface Settings {
  abuse_multiple: string;
  abuse_min_requests: number;
  review_sla_hours: number;
  version: number;
  updated_at: string;
}

export const CODE_PATTERN = /^[a-z][a-z0-9_]{1,49}$/;
