import { describe, expect, it } from "vitest";
import { formPath, importRequest, INITIAL_VALUES } from "./wizard";

describe("importRequest", () => {
  it("sends the owner and the lead package only when chosen", () => {
    const plain = importRequest("u1", { ...INITIAL_VALUES, groupId: "g1", startRow: 2, mapping: { phone: 2 } });
    expect(plain).not.toHaveProperty("owner_id");
    expect(plain).not.toHaveProperty("lead_package_id");
    const targeted = importRequest("u1", { ...INITIAL_VALUES, ownerId: "rep", leadPackageId: "pkg", startRow: 2, mapping: { phone: 2 } });
    expect(targeted).toMatchObject({ upload_id: "u1", owner_id: "rep", lead_package_id: "pkg", start_row: 2 });
  });

  it("puts the server's complaints about them on their fields", () => {
    expect(formPath("owner_id")).toEqual(["ownerId"]);
    expect(formPath("lead_package_id")).toEqual(["leadPackageId"]);
  });
});
