import { describe, expect, it } from "vitest";
import { countdown, slaView, warningAt } from "./sla";
import type { SlaCustomer } from "./types";

const start = Date.parse("2026-11-29T10:00:00Z");
const minute = 60_000;
const lead = (extra: Partial<SlaCustomer> = {}): SlaCustomer => ({
  customer_id: "c1", previous_owner_id: null, state: "open",
  sla_started_at: new Date(start).toISOString(),
  contact_due_at: new Date(start + 30 * minute).toISOString(), ...extra,
});
const rule = { sla_minutes: 30, warn_before_minutes: 10 };

describe("slaView", () => {
  it("is ok before the warning, warning within it, overdue past the deadline", () => {
    expect(slaView(lead(), start + 5 * minute, rule).state).toBe("ok");
    expect(slaView(lead(), start + 20 * minute, rule).state).toBe("warning");
    expect(slaView(lead(), start + 30 * minute, rule).state).toBe("overdue");
    expect(slaView(lead(), start + 5 * minute, rule).remaining).toBe(25 * minute);
  });

  it("takes the service's warning over the computed time", () => {
    expect(slaView(lead({ warned_at: new Date(start).toISOString() }), start + minute).state).toBe("warning");
    expect(slaView(lead(), start + 25 * minute).state).toBe("ok"); // no rule known, no warning sent
  });

  it("reads the clock's length from its start and deadline, whatever a minute lasts", () => {
    const short = lead({ contact_due_at: new Date(start + 12_000).toISOString() }); // 6 "minutes" of 2 s
    expect(warningAt(short, { sla_minutes: 6, warn_before_minutes: 3 })).toBe(start + 6_000);
    expect(slaView(short, start + 5_000, { sla_minutes: 6, warn_before_minutes: 3 }).state).toBe("ok");
    expect(slaView(short, start + 7_000, { sla_minutes: 6, warn_before_minutes: 3 }).state).toBe("warning");
    expect(warningAt(short, { sla_minutes: 6, warn_before_minutes: 0 })).toBeNull();
  });

  it("says when the rep called and how long it took, in time or late", () => {
    const early = slaView(lead({ contacted_at: new Date(start + 7 * minute).toISOString() }), start + 40 * minute);
    expect(early).toMatchObject({ state: "contacted", minutesTaken: 7, late: false });
    const late = slaView(lead({ contacted_at: new Date(start + 45 * minute).toISOString(), state: "recalled" }),
                         start + 50 * minute);
    expect(late).toMatchObject({ state: "contacted", minutesTaken: 45, late: true });
  });

  it("uses the assignment's start when the lead carries none", () => {
    const view = slaView(lead({ sla_started_at: null, contacted_at: new Date(start + 3 * minute).toISOString() }),
                         start + 4 * minute, undefined, new Date(start).toISOString());
    expect(view.minutesTaken).toBe(3);
  });

  it("has no clock without a deadline, and none once the lead left", () => {
    expect(slaView(lead({ contact_due_at: null }), start).state).toBe("none");
    expect(slaView(lead({ state: "recalled", recall_reason: "sla_missed" }), start + 40 * minute).state).toBe("closed");
  });
});

describe("countdown", () => {
  it("writes minutes and seconds, hours past an hour", () => {
    expect(countdown(245_000)).toBe("04:05");
    expect(countdown(-61_000)).toBe("01:01");
    expect(countdown(3_723_000)).toBe("1:02:03");
  });
});
