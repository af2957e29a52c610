import { describe, expect, it } from "vitest";
import { cleanMapping, columnLabel, defaultStartRow, formatBytes, percentDone, takenBy } from "./mapping";

describe("the quick import's mapping", () => {
  it("names a column by its letter and header", () => {
    expect(columnLabel({ index: 2, letter: "C", header: "SĐT" })).toBe("C — SĐT");
    expect(columnLabel({ index: 27, letter: "AB", header: "  " })).toBe("AB");
    expect(columnLabel({ index: 1, letter: "A", header: null })).toBe("A");
  });

  it("starts after the detected header row", () => {
    expect(defaultStartRow(1)).toBe(2);
    expect(defaultStartRow(4)).toBe(5);
    expect(defaultStartRow(null)).toBe(1);
  });

  it("sends only the fields given a column", () => {
    expect(cleanMapping({ name: 2, phone: 3, email: undefined, note: null })).toEqual({ name: 2, phone: 3 });
  });

  it("says which field already took a column", () => {
    const chosen = { name: 2, phone: 3, email: undefined };
    expect(takenBy(chosen, "email", 3)).toBe("phone");
    expect(takenBy(chosen, "phone", 3)).toBeNull();
    expect(takenBy(chosen, "email", undefined)).toBeNull();
  });

  it("measures progress once the total is known", () => {
    expect(percentDone({ status: "running", processed_rows: 50, total_rows: null })).toBeNull();
    expect(percentDone({ status: "running", processed_rows: 1, total_rows: 3 })).toBe(33);
    expect(percentDone({ status: "completed", processed_rows: 0, total_rows: 0 })).toBe(100);
  });

  it("writes sizes for people", () => {
    expect(formatBytes(900)).toBe("900 B");
    expect(formatBytes(2048)).toBe("2.0 KB");
    expect(formatBytes(3 * 1024 * 1024)).toBe("3.0 MB");
  });
});

describe("the wizard's request", async () => {
  const { importRequest, formPath } = await import("./wizard");

  it("sends a quick import with a new group", () => {
    expect(importRequest("u1", {
      mode: "quick", groupMode: "new", groupName: "  Hội chợ  ", groupId: "g0", sheet: 1, startRow: 2,
      mapping: { name: 2, phone: 3, email: undefined }, dryRun: true,
    })).toEqual({ upload_id: "u1", sheet: 1, dry_run: true, new_group: { name: "Hội chợ" }, start_row: 2,
                  mapping: { name: 2, phone: 3 } });
  });

  it("sends a template import into an existing group", () => {
    expect(importRequest("u2", { mode: "template", groupMode: "existing", groupId: "g1", startRow: 5 }))
      .toEqual({ upload_id: "u2", sheet: 0, dry_run: false, group_id: "g1", template: true });
  });

  it("puts the API's field problems on the wizard's fields", () => {
    expect(formPath("mapping.attributes.income")).toEqual(["mapping", "attributes.income"]);
    expect(formPath("new_group.name")).toEqual(["groupName"]);
    expect(formPath("upload_id")).toBeNull();
  });
});
