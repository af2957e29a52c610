import { describe, expect, it } from "vitest";
import {
  age, allowedReasons, batchRequests, canManagePackages, canReview, flagComparison, flagEntries, mayChangeDraft, maySubmit,
  mayRequest, outcomeName, outcomes, reasonName, shareFromPercent, sharePercent, span,
} from "./logic";
import type { Batch, CompensationRequest, LeadPackage, Reason } from "./types";

const reasons: Reason[] = [
  { code: "wrong_number", name: "Sai số điện thoại", name_vi: "Sai số điện thoại", name_en: "Wrong number",
    counts_calls: true, active: true },
  { code: "duplicate", name: "Trùng khách hàng", name_vi: "Trùng khách hàng", name_en: "Duplicate lead",
    counts_calls: false, active: true },
  { code: "old", name: "Cũ", name_vi: "Cũ", name_en: "Old", counts_calls: false, active: false },
];

const pack = { policy: { reasons: ["duplicate"], window_days: 30, max_share: "0.2", min_call_attempts: 3 } } as LeadPackage;

describe("roles", () => {
  it("lets reviewers and admins review, managers and admins manage, workers of leads request", () => {
    expect(canReview(["reviewer"])).toBe(true);
    expect(canReview(["sales", "manager"])).toBe(false);
    expect(canManagePackages(["manager"])).toBe(true);
    expect(canManagePackages(["reviewer"])).toBe(false);
    expect(mayRequest(["sales"])).toBe(true);
    expect(mayRequest(["reviewer"])).toBe(false);
    expect(mayRequest(undefined)).toBe(false);
  });

  it("keeps reviewers from sending for review unless they also manage", () => {
    expect(maySubmit(["sales"])).toBe(true);
    expect(maySubmit(["reviewer"])).toBe(false);
    expect(maySubmit(["reviewer", "sales"])).toBe(false);
    expect(maySubmit(["reviewer", "manager"])).toBe(true);
    expect(maySubmit(undefined)).toBe(false);
  });

  it("lets the requester, managers and admins change a draft, nothing else", () => {
    const draft = { requester_id: "u1", status: "draft" };
    expect(mayChangeDraft({ id: "u1", roles: ["sales"] }, draft)).toBe(true);
    expect(mayChangeDraft({ id: "u2", roles: ["sales"] }, draft)).toBe(false);
    expect(mayChangeDraft({ id: "u2", roles: ["manager"] }, draft)).toBe(true);
    expect(mayChangeDraft({ id: "u1", roles: ["sales"] }, { ...draft, status: "submitted" })).toBe(false);
  });
});

describe("batches", () => {
  const request = { id: "r1" } as CompensationRequest;
  it("finds a batch's requests", () => {
    expect(batchRequests({ requests: 1, items: [request] } as Batch)).toEqual([request]);
    expect(batchRequests({ requests: 4 } as Batch)).toEqual([]);
    expect(batchRequests(undefined)).toEqual([]);
  });

  it("says an age in its largest unit", () => {
    expect(age(5)).toEqual({ value: 1, unit: "minutes" });
    expect(age(59 * 60)).toEqual({ value: 59, unit: "minutes" });
    expect(age(3 * 3600 + 120)).toEqual({ value: 3, unit: "hours" });
    expect(age(2 * 86400 + 3600)).toEqual({ value: 2, unit: "days" });
    expect(span(12.4)).toEqual({ value: 12, unit: "seconds" });
    expect(span(3 * 3600)).toEqual({ value: 3, unit: "hours" });
  });
});

describe("policy", () => {
  it("turns the share into a percentage and back", () => {
    expect(sharePercent("0.2")).toBe(20);
    expect(sharePercent(0.125)).toBe(12.5);
    expect(shareFromPercent(12.5)).toBe(0.125);
  });

  it("offers the active reasons the package allows", () => {
    expect(allowedReasons(reasons, pack).map((r) => r.code)).toEqual(["duplicate"]);
    expect(allowedReasons(reasons, undefined).map((r) => r.code)).toEqual(["wrong_number", "duplicate"]);
  });

  it("names a reason in the reader's language", () => {
    expect(reasonName(reasons, "wrong_number", "en")).toBe("Wrong number");
    expect(reasonName(reasons, "wrong_number", "vi")).toBe("Sai số điện thoại");
    expect(reasonName(reasons, "unknown", "vi")).toBe("unknown");
  });
});

describe("evidence", () => {
  it("orders outcomes by count", () => {
    expect(outcomes({ reached: 1, wrong_number: 3, busy: 1 })).toEqual([["wrong_number", 3], ["busy", 1], ["reached", 1]]);
    expect(outcomes(null)).toEqual([]);
    expect(outcomeName("busy", (key) => `[${key}]`)).toBe("[comp.outcome.busy]");
    expect(outcomeName("fax_tone", (key) => `[${key}]`)).toBe("fax_tone");
  });

  it("shows the abuse flag's plain values", () => {
    expect(flagEntries({ rate: 0.456789, peer_median: 0.1, nested: { a: 1 }, note: "x" }))
      .toEqual([["rate", "0.46"], ["peer_median", "0.1"], ["note", "x"]]);
    expect(flagEntries(null)).toEqual([]);
    expect(flagComparison({ rate: 0.6, peer_median: 0.125, multiple: 3, peers: 4, requests: 6, leads: 10 }))
      .toEqual({ rate: 60, median: 12.5, multiple: 3, peers: 4, requests: 6, leads: 10 });
    expect(flagComparison({ other: 1 })).toBeNull();
  });
});
