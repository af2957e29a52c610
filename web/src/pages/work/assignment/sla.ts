// The speed-to-lead clock of one lead as the console shows it: a tag whose colour says whether the
// rep is in time, close to the deadline, past it, or has already called (and how long it took).
import type { SlaCustomer } from "./types";

export type SlaState = "none" | "ok" | "warning" | "overdue" | "contacted" | "closed";

export interface SlaView {
  state: SlaState;
  /** milliseconds until the deadline (negative past it); null without a deadline */
  remaining: number | null;
  /** whole minutes from the start of the clock to the first contact (contacted only) */
  minutesTaken: number | null;
  /** the contact came after the deadline */
  late: boolean;
}

export interface SlaRule {
  sla_minutes?: number | null;
  warn_before_minutes?: number | null;
}

const MINUTE = 60_000;

function time(value: string | null | undefined): number | null {
  if (!value) return null;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? null : parsed;
}

/** When the warning falls due: the job's warning share of the clock before the deadline. The clock's
 * length comes from its own start and deadline (not from the minutes' length, which tests shorten). */
export function warningAt(lead: SlaCustomer, rule: SlaRule | undefined): number | null {
  const due = time(lead.contact_due_at);
  const start = time(lead.sla_started_at);
  const sla = rule?.sla_minutes;
  const before = rule?.warn_before_minutes;
  if (due === null || start === null || !sla || !before || due <= start) return null;
  return due - ((due - start) * before) / sla;
}

/** The lead's SLA at `now` (ms). The service's own `warned_at` wins over the computed warning time. */
export function slaView(lead: SlaCustomer, now: number, rule?: SlaRule, startedAt?: string | null): SlaView {
  const due = time(lead.contact_due_at);
  const contacted = time(lead.contacted_at);
  const start = time(lead.sla_started_at ?? startedAt);
  const remaining = due === null ? null : due - now;
  if (contacted !== null) {
    return { state: "contacted", remaining, late: due !== null && contacted > due,
             minutesTaken: start === null ? null : Math.max(0, Math.round((contacted - start) / MINUTE)) };
  }
  const base = { remaining, minutesTaken: null, late: false };
  if (lead.state !== "open") return { ...base, state: "closed" };
  if (due === null) return { ...base, state: "none" };
  if (now >= due) return { ...base, state: "overdue" };
  const warnAt = warningAt({ ...lead, sla_started_at: lead.sla_started_at ?? startedAt }, rule);
  if (lead.warned_at || (warnAt !== null && now >= warnAt)) return { ...base, state: "warning" };
  return { ...base, state: "ok" };
}

/** "04:05" for 4 min 5 s, "1:02:03" past an hour (the sign is shown by the words around it). */
export function countdown(ms: number): string {
  const seconds = Math.floor(Math.abs(ms) / 1000);
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = String(seconds % 60).padStart(2, "0");
  return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${rest}` : `${String(minutes).padStart(2, "0")}:${rest}`;
}

/** The lead's row among an assignment's customers, the one its SLA applies to. */
export function leadOf(customers: SlaCustomer[], customerId: string): SlaCustomer | null {
  return customers.find((item) => item.customer_id === customerId) ?? null;
}
