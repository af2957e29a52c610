import { describe, expect, it } from "vitest";
import { foldAccents, keyFromName } from "./text";

describe("text", () => {
  it("folds Vietnamese accents", () => {
    expect(foldAccents("Chi nhánh Đà Nẵng")).toBe("chi nhanh da nang");
  });
  it("makes a key the API accepts from a name", () => {
    expect(keyFromName("Thu nhập hàng tháng")).toBe("thu_nhap_hang_thang");
    expect(keyFromName("2 xe máy")).toBe("a_2_xe_may");
    expect(keyFromName("  Mức độ!! ")).toBe("muc_do");
  });
});
