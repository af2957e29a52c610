// The body of POST /assignments from the "Giao sale chăm sóc" dialog (seed 004 §6.2, seed 001 "Chia
// lead": phương thức, người chăm sóc, thời gian, ghi chú).
import type { CustomerFilter } from "../../../api/types";
import type { Strategy } from "../../work/assignment/types";
import { quantitiesCheck } from "./filters";

/** The ticked customers, or every customer matching the list's filter (the service resolves it). */
export type AssignTarget = { ids: string[] } | { filter: CustomerFilter };

/** "quantities": each rep's count typed in; otherwise the service splits by the strategy. */
export type Method = "quantities" | Strategy;

export interface NewJob {
  content: string;
  type: string;
  target?: string;
  sla_minutes?: number | null;
  warn_before_minutes?: number | null;
}

export interface AssignChoices {
  job: { job_id: string } | { job: NewJob };
  text: string;
  method: Method;
  reps: string[];
  quantities: Record<string, number | null | undefined>;
  direct: boolean;
  recallFirst: boolean;
  /** how long a rep has to accept an offer (not with `direct`) */
  acceptWithin: { value: number | null | undefined; unit: "hours" | "minutes" };
}

/** Whether the dialog may send: reps chosen, and with quantities, a sum equal to the customers. */
export function readyToSend(choices: Pick<AssignChoices, "method" | "reps" | "quantities">, count: number) {
  if (choices.reps.length === 0) return { ok: false, sum: 0 };
  if (choices.method !== "quantities") return { ok: count > 0, sum: count };
  return quantitiesCheck(Object.fromEntries(choices.reps.map((id) => [id, choices.quantities[id]])), count);
}

function newJob(job: NewJob): NewJob {
  const body: NewJob = { content: job.content.trim(), type: job.type.trim() };
  if (job.target?.trim()) body.target = job.target.trim();
  if (job.sla_minutes) {
    body.sla_minutes = job.sla_minutes;
    if (job.warn_before_minutes !== null && job.warn_before_minutes !== undefined) {
      body.warn_before_minutes = job.warn_before_minutes;
    }
  }
  return body;
}

/** POST /assignments's body. */
export function distributionBody(target: AssignTarget, choices: AssignChoices): Record<string, unknown> {
  const body: Record<string, unknown> = {
    ...("ids" in target ? { customer_ids: target.ids } : { filter: { ...target.filter, fuzzy: false } }),
    ...("job_id" in choices.job ? { job_id: choices.job.job_id } : { job: newJob(choices.job.job) }),
    text: choices.text.trim(),
    direct: choices.direct,
    recall_first: choices.recallFirst,
  };
  if (choices.method === "quantities") {
    body.quantities = choices.reps.map((id) => ({ user_id: id, count: choices.quantities[id] ?? 0 }));
  } else {
    body.strategy = choices.method;
    body.assignees = choices.reps;
  }
  const within = choices.acceptWithin.value;
  if (!choices.direct && within) {
    body[choices.acceptWithin.unit === "minutes" ? "accept_within_minutes" : "accept_within_hours"] = within;
  }
  return body;
}
