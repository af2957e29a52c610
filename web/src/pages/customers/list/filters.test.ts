import { describe, expect, it } from "vitest";
import {
  evenSplit, filterFromParam, filterToParam, move, quantitiesCheck, scopeFromParam, sortOrderOf, toFilter, toQuery, toSort,
} from "./filters";
import { bulkTarget } from "./selection";

describe("the list's filter in the API's forms", () => {
  const state = { scope: "my_unit" as const, q: "  nguyen thi hong ", sort: "name",
                  filter: { labels: ["vip"], groups: [], status: undefined, created_from: "" } };

  it("drops empty values and trims the search", () => {
    expect(toFilter(state)).toEqual({ scope: "my_unit", q: "nguyen thi hong", labels: ["vip"] });
  });
  it("asks the count with the first page only", () => {
    expect(toQuery(state)).toEqual({ scope: "my_unit", q: "nguyen thi hong", labels: ["vip"], sort: "name",
                                     limit: 50, with_count: true });
    expect(toQuery(state, "abc")).toEqual({ scope: "my_unit", q: "nguyen thi hong", labels: ["vip"], sort: "name",
                                            limit: 50, cursor: "abc" });
  });
  it("maps antd's sort orders to the API's and back", () => {
    expect(toSort("name", "descend", "-created_at")).toBe("-name");
    expect(toSort("name", "ascend", "-created_at")).toBe("name");
    expect(toSort("name", null, "-created_at")).toBe("-created_at");
    expect(sortOrderOf("-name", "name")).toBe("descend");
    expect(sortOrderOf("-name", "phone")).toBeNull();
  });
});

describe("column order", () => {
  it("moves an item up or down", () => {
    expect(move(["a", "b", "c"], 2, 0)).toEqual(["c", "a", "b"]);
    expect(move(["a", "b", "c"], 0, 1)).toEqual(["b", "a", "c"]);
    expect(move(["a", "b"], 1, 5)).toEqual(["a", "b"]);
  });
});

describe("quantities of an assignment", () => {
  it("must add up to the selection, each at least 1", () => {
    expect(quantitiesCheck({ a: 2, b: 2 }, 3)).toEqual({ sum: 4, ok: false });
    expect(quantitiesCheck({ a: 2, b: 1 }, 3)).toEqual({ sum: 3, ok: true });
    expect(quantitiesCheck({ a: 3, b: 0 }, 3)).toEqual({ sum: 3, ok: false });
    expect(quantitiesCheck({}, 0)).toEqual({ sum: 0, ok: false });
  });
  it("splits a selection evenly", () => {
    expect(evenSplit(3, 2)).toEqual([2, 1]);
    expect(evenSplit(5, 3)).toEqual([2, 2, 1]);
    expect(evenSplit(4, 0)).toEqual([]);
  });
});

describe("what a bulk action applies to", () => {
  const state = { scope: "mine" as const, q: "hong", sort: "name", filter: { status: ["new"] } };
  it("sends the ticked ids, or the list's filter (exact search) when all matching are selected", () => {
    expect(bulkTarget({ ids: ["a", "b"], allMatching: false }, state)).toEqual({ ids: ["a", "b"] });
    expect(bulkTarget({ ids: ["a", "b"], allMatching: true }, state))
      .toEqual({ filter: { scope: "mine", q: "hong", status: ["new"], fuzzy: false } });
  });
});

describe("the list in its URL", () => {
  it("keeps non-empty filter values and reads them back; anything else is no filter", () => {
    expect(filterToParam({ labels: ["vip"], groups: [] })).toBe('{"labels":["vip"]}');
    expect(filterToParam({ groups: [] })).toBeNull();
    expect(filterFromParam('{"labels":["vip"]}')).toEqual({ labels: ["vip"] });
    expect(filterFromParam("not json")).toEqual({});
    expect(filterFromParam("[1]")).toEqual({});
    expect(scopeFromParam("my_unit")).toBe("my_unit");
    expect(scopeFromParam("everything")).toBeNull();
  });
});
