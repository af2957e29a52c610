import { describe, expect, it } from "vitest";
import type { Unit } from "../../api/types";
import { unitTree, unitTrail } from "./unitTree";

function unit(id: string, name: string, parent_id: string | null): Unit {
  return { id, name, parent_id, kind: "team", path: "", depth: 0, version: 1, created_at: "", updated_at: "" };
}

const units = [unit("c", "Công ty", null), unit("b2", "Chi nhánh B", "c"), unit("b1", "Chi nhánh A", "c"),
               unit("t", "Nhóm", "b1")];

describe("unitTree", () => {
  it("nests children under their parent, by name", () => {
    const tree = unitTree(units);
    expect(tree.map((node) => node.key)).toEqual(["c"]);
    expect(tree[0].children.map((node) => node.title)).toEqual(["Chi nhánh A", "Chi nhánh B"]);
    expect(tree[0].children[0].children[0].key).toBe("t");
  });

  it("makes a unit whose parent is out of sight a root", () => {
    expect(unitTree([unit("t", "Nhóm", "b1")]).map((node) => node.key)).toEqual(["t"]);
  });

  it("disables a unit and its subtree (a unit cannot move under itself)", () => {
    const tree = unitTree(units, "b1");
    const branch = tree[0].children[0];
    expect(branch.disabled).toBe(true);
    expect(branch.children[0].disabled).toBe(true);
    expect(tree[0].children[1].disabled).toBe(false);
  });
});

describe("unitTrail", () => {
  it("names the path from the root", () => {
    expect(unitTrail(new Map(units.map((u) => [u.id, u])), "t")).toBe("Công ty / Chi nhánh A / Nhóm");
  });
});

describe("unitTree refusing some units", () => {
  it("disables the refused units only, not their children", () => {
    const tree = unitTree(units, undefined, (u) => u.id === "b1");
    expect(tree[0].children[0].disabled).toBe(true);
    expect(tree[0].children[0].children[0].disabled).toBe(false);
  });
});
