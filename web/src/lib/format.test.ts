import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime } from "./format";

describe("dates in Vietnam's time, dd/mm/yyyy", () => {
  it("shows a UTC instant as the Vietnamese calendar day", () => {
    // 2025-03-01 20:30 UTC is already 2 March 03:30 in Hanoi
    expect(formatDate("2025-03-01T20:30:00Z")).toBe("02/03/2025");
    expect(formatDateTime("2025-03-01T20:30:00Z")).toBe("02/03/2025 03:30");
  });
  it("shows nothing for a missing date", () => {
    expect(formatDate(null)).toBe("");
    expect(formatDateTime(undefined)).toBe("");
  });
});
