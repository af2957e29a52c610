// The compensation screens' pure rules: who sees which action, what a batch holds, ages and shares.
import type { MessageKey } from "../../i18n/messages";
import type { Batch, BatchStatus, CompensationRequest, LeadPackage, Reason, RequestStatus } from "./types";

/** antd's description labels are too pale for text (below 4.5:1) */
export const LABEL = { color: "rgba(0, 0, 0, 0.7)" };

/** a package's counters and their names */
export const COUNTERS: ["leads" | "requested" | "approved" | "rejected" | "credit", MessageKey][] = [
  ["leads", "comp.leads"], ["requested", "comp.requested"], ["approved", "comp.approved"], ["rejected", "comp.rejected"],
  ["credit", "comp.credit"],
];

type Tone = "green" | "blue" | "orange" | "red" | "default";

export const REQUEST_TONES: Record<RequestStatus, Tone> = {
  draft: "orange", submitted: "blue", approved: "green", rejected: "red", withdrawn: "default",
};

export const BATCH_TONES: Record<BatchStatus, Tone> = { submitted: "orange", in_review: "blue", completed: "green" };

/** Reviewers and admins decide; the queue is theirs. */
export function canReview(roles: readonly string[] | undefined): boolean {
  return Boolean(roles?.some((role) => role === "reviewer" || role === "admin"));
}

/** Admins and managers create and change packages. */
export function canManagePackages(roles: readonly string[] | undefined): boolean {
  return Boolean(roles?.some((role) => role === "manager" || role === "admin"));
}

/** Who works leads may ask for compensation ("Yêu cầu bù ngay"); the server checks the rest. */
export function mayRequest(roles: readonly string[] | undefined): boolean {
  return Boolean(roles?.some((role) => role === "sales" || role === "manager" || role === "admin"));
}

/** Everyone who sees a package sends its drafts for review, except reviewers (they decide them),
 * unless they also manage or administer. */
export function maySubmit(roles: readonly string[] | undefined): boolean {
  if (!roles) return false;
  return roles.includes("admin") || roles.includes("manager") || !roles.includes("reviewer");
}

/** A draft changes or is withdrawn by its requester, an admin or a manager (over its package: the API checks). */
export function mayChangeDraft(me: { id: string; roles: readonly string[] } | undefined,
                               request: { requester_id: string; status: string }): boolean {
  if (!me || request.status !== "draft") return false;
  return request.requester_id === me.id || canManagePackages(me.roles);
}

/** The requests of a batch (its page lists them). */
export function batchRequests(batch: Batch | undefined): CompensationRequest[] {
  return batch?.items ?? [];
}

export type AgeUnit = "days" | "hours" | "minutes";

/** A queue entry's age in its largest whole unit (at least one minute). */
export function age(seconds: number): { value: number; unit: AgeUnit } {
  const minutes = Math.max(1, Math.floor(seconds / 60));
  if (minutes >= 24 * 60) return { value: Math.floor(minutes / (24 * 60)), unit: "days" };
  if (minutes >= 60) return { value: Math.floor(minutes / 60), unit: "hours" };
  return { value: minutes, unit: "minutes" };
}

/** A time span for a report: seconds under a minute, else as `age`. */
export function span(seconds: number): { value: number; unit: AgeUnit | "seconds" } {
  return seconds < 60 ? { value: Math.round(seconds), unit: "seconds" } : age(seconds);
}

/** max_share (0, 1] as a percentage for people (0.1 → 10). */
export function sharePercent(share: number | string): number {
  return Math.round(Number(share) * 10000) / 100;
}

/** a percentage typed by a manager as the API's max_share (10 → 0.1) */
export function shareFromPercent(percent: number): number {
  return Math.round(percent * 100) / 10000;
}

/** The reasons a request may give: active ones the package's policy allows (all active without a package). */
export function allowedReasons(reasons: readonly Reason[], pack: LeadPackage | undefined): Reason[] {
  const active = reasons.filter((reason) => reason.active);
  return pack ? active.filter((reason) => pack.policy.reasons.includes(reason.code)) : active;
}

/** A reason's name in the reader's language, its code when unknown. */
export function reasonName(reasons: readonly Reason[] | undefined, code: string, language: "vi" | "en"): string {
  const reason = reasons?.find((item) => item.code === code);
  if (!reason) return code;
  return (language === "en" ? reason.name_en : reason.name_vi) || reason.name || code;
}

const OUTCOMES = ["reached", "no_answer", "busy", "wrong_number", "call_back_later", "voicemail", "rejected", "unknown"];

/** A call outcome's words, the code itself when the console does not know it. */
export function outcomeName(code: string, t: (key: MessageKey) => string): string {
  return OUTCOMES.includes(code) ? t(`comp.outcome.${code}` as MessageKey) : code;
}

/** Calls by outcome, the most frequent first. */
export function outcomes(byOutcome: Record<string, number> | null | undefined): [string, number][] {
  return Object.entries(byOutcome ?? {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** The abuse guard's comparison as label/value pairs (numbers rounded), whatever keys it carries. */
export function flagEntries(flag: Record<string, unknown> | null | undefined): [string, string][] {
  if (!flag) return [];
  return Object.entries(flag)
    .filter(([, value]) => value !== null && value !== undefined && typeof value !== "object")
    .map(([key, value]) => [key, typeof value === "number" ? String(Math.round(value * 100) / 100) : String(value)]);
}

export interface FlagComparison {
  rate: number;
  median: number;
  multiple: number;
  peers: number;
  requests: number;
  leads: number;
}

/** The abuse guard's comparison ({rate, peer_median, multiple, peers, requests, leads}; rates as
 * fractions) with the rates as percentages; null when it carries other keys. */
export function flagComparison(flag: Record<string, unknown> | null | undefined): FlagComparison | null {
  if (!flag) return null;
  const number = (key: string) => (typeof flag[key] === "number" ? (flag[key] as number) : null);
  const [rate, median, multiple, peers, requests, leads] =
    ["rate", "peer_median", "multiple", "peers", "requests", "leads"].map(number);
  if (rate === null || median === null || multiple === null) return null;
  const percent = (value: number) => Math.round(value * 1000) / 10;
  return { rate: percent(rate), median: percent(median), multiple, peers: peers ?? 0, requests: requests ?? 0,
           leads: leads ?? 0 };
}

/** the decided state of a request: its decision's note and whether a rule decided it */
export function decisionOf(request: CompensationRequest): { note: string | null; auto: boolean } {
  const note = request.decision?.note ?? null;
  const auto = Boolean(request.decision?.auto ?? request.auto_rule_id);
  return { note, auto };
}
