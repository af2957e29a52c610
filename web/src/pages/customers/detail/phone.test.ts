import { describe, expect, it } from "vitest";
import { localPhone } from "./phone";

describe("localPhone", () => {
  it("writes a Vietnamese mobile number the local way", () => {
    expect(localPhone("+84912345678")).toBe("0912 345 678");
  });
  it("leaves other numbers as stored", () => {
    expect(localPhone("+6591234567")).toBe("+6591234567");
  });
});
