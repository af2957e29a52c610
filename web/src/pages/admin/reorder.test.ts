import { describe, expect, it } from "vitest";
import { moveItem } from "./reorder";

const list = (...orders: number[]) => orders.map((display_order, i) => ({ id: String.fromCharCode(97 + i), display_order }));

function apply(items: ReturnType<typeof list>, changes: { id: string; display_order: number }[]) {
  const next = items.map((item) => ({ ...item, ...changes.find((change) => change.id === item.id) }));
  return next.sort((x, y) => x.display_order - y.display_order).map((item) => item.id).join("");
}

describe("moveItem", () => {
  it("moves up with one change when there is room", () => {
    const items = list(1, 2, 3);
    const changes = moveItem(items, 2, -1);
    expect(changes).toEqual([{ id: "b", display_order: 4 }]);
    expect(apply(items, changes)).toBe("acb");
  });

  it("separates equal orders", () => {
    const items = list(0, 0, 0);
    const changes = moveItem(items, 2, -1);
    expect(apply(items, changes)).toBe("acb");
  });

  it("swaps two distinct neighbours in the middle of a long list", () => {
    const items = list(10, 20, 30, 40, 50);
    const changes = moveItem(items, 1, 1);
    expect(changes.length).toBeLessThanOrEqual(2);
    expect(apply(items, changes)).toBe("acbde");
  });

  it("leaves equal orders above the moved item alone", () => {
    const items = list(0, 0, 10, 20);
    expect(moveItem(items, 3, -1)).toEqual([{ id: "c", display_order: 21 }]);
  });

  it("does nothing past the ends", () => {
    expect(moveItem(list(1, 2), 0, -1)).toEqual([]);
    expect(moveItem(list(1, 2), 1, 1)).toEqual([]);
  });
});
