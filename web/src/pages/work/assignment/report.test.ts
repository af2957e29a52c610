import { describe, expect, it } from "vitest";
import { reportRows } from "./report";
import type { ReportCounts } from "./types";

const counts = (assigned: number): ReportCounts => ({
  assigned, offered: assigned, accepted: 0, declined: 0, expired: 0, recalled: 0, sla_missed: 0, open: assigned,
  contacted_within_sla: 0, contacted_late: 0, median_minutes_to_contact: null,
});

describe("reportRows", () => {
  it("lists the reps by name, then the totals", () => {
    const rows = reportRows({
      reps: [{ ...counts(2), user_id: "b", username: "b", full_name: "Trần Bình" },
             { ...counts(1), user_id: "a", username: "a", full_name: "Lê An" }],
      totals: counts(3),
    });
    expect(rows.map((row) => [row.key, row.assigned, row.total])).toEqual([["a", 1, false], ["b", 2, false], ["totals", 3, true]]);
  });

  it("is empty when nothing was assigned", () => {
    expect(reportRows({ reps: [], totals: counts(0) })).toEqual([]);
  });
});
