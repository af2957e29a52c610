import { describe, expect, it } from "vitest";
import { distributionBody, readyToSend, type AssignChoices } from "./distribution";

const choices: AssignChoices = {
  job: { job_id: "j1" }, text: " Gọi trong ngày ", method: "quantities", reps: ["a", "b"],
  quantities: { a: 2, b: 1 }, direct: false, recallFirst: false, acceptWithin: { value: 30, unit: "minutes" },
};

describe("readyToSend", () => {
  it("needs quantities adding up to the customers", () => {
    expect(readyToSend(choices, 3)).toEqual({ ok: true, sum: 3 });
    expect(readyToSend(choices, 4)).toEqual({ ok: false, sum: 3 });
    expect(readyToSend({ ...choices, quantities: { a: 3, b: null } }, 3)).toEqual({ ok: false, sum: 3 });
  });

  it("lets a strategy split any number, but never without reps", () => {
    expect(readyToSend({ ...choices, method: "least_loaded", quantities: {} }, 500)).toEqual({ ok: true, sum: 500 });
    expect(readyToSend({ ...choices, method: "round_robin", reps: [] }, 5).ok).toBe(false);
  });
});

describe("distributionBody", () => {
  it("sends the ids, the job, the quantities and the answer time of an offer", () => {
    expect(distributionBody({ ids: ["c1", "c2", "c3"] }, choices)).toEqual({
      customer_ids: ["c1", "c2", "c3"], job_id: "j1", text: "Gọi trong ngày", direct: false, recall_first: false,
      quantities: [{ user_id: "a", count: 2 }, { user_id: "b", count: 1 }], accept_within_minutes: 30,
    });
  });

  it("sends the filter, a new job with its SLA and a strategy over the reps; direct takes no answer time", () => {
    const body = distributionBody({ filter: { scope: "unassigned", labels: ["hot"] } }, {
      ...choices, method: "by_province", direct: true,
      job: { job: { content: " Gọi lead nóng ", type: "telesales", target: "", sla_minutes: 15, warn_before_minutes: 5 } },
    });
    expect(body).toEqual({
      filter: { scope: "unassigned", labels: ["hot"], fuzzy: false },
      job: { content: "Gọi lead nóng", type: "telesales", sla_minutes: 15, warn_before_minutes: 5 },
      text: "Gọi trong ngày", direct: true, recall_first: false, strategy: "by_province", assignees: ["a", "b"],
    });
  });

  it("leaves the warning to the service's default when not given, and hours as hours", () => {
    const body = distributionBody({ ids: ["c1"] }, {
      ...choices, acceptWithin: { value: 4, unit: "hours" },
      job: { job: { content: "A", type: "B", sla_minutes: 20, warn_before_minutes: null } },
    });
    expect(body.job).toEqual({ content: "A", type: "B", sla_minutes: 20 });
    expect(body.accept_within_hours).toBe(4);
  });
});
