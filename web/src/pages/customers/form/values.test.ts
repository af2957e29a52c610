import { describe, expect, it } from "vitest";
import dayjs from "dayjs";
import type { Customer, CustomerAttribute } from "../../../api/types";
import { changedBody, conflicts, createBody, fieldPath, toFormValues, toPayload } from "./values";

const income: CustomerAttribute = {
  id: "a1", key: "income", name: "Thu nhập", type: "number", options: [], required: false, display_order: 1,
  filterable: false, created_at: "", updated_at: "",
};
const visit: CustomerAttribute = { ...income, id: "a2", key: "visit", name: "Ngày đến", type: "date" };
const hobbies: CustomerAttribute = { ...income, id: "a3", key: "hobbies", name: "Sở thích", type: "multi-select",
                                     options: [{ value: "golf", label: "Golf" }] };
const definitions = [income, visit, hobbies];

const customer = {
  id: "c1", name: "Nguyễn Văn An", phone: "+84912345678", email: null, birthday: "1990-05-01",
  province: { code: 1, name: "Thành phố Hà Nội" }, gender: "male", address: null, source: null, customer_type: null,
  company_name: null, tax_code: null, position: null, note: null, party_type: "individual", lifecycle: "lead",
  status: "new", labels: ["vip"], groups: [], attributes: { income: 12, visit: "2024-02-29" }, owner_id: null,
  owner_unit_id: null, holder_id: null, viewer_ids: [], referred_by: null, version: 3, created_at: "", updated_at: "",
} as unknown as Customer;

describe("customer form values", () => {
  it("reads dates as calendar days and the province as its code", () => {
    const values = toFormValues(customer, definitions);
    expect(values.birthday!.format("DD/MM/YYYY")).toBe("01/05/1990");
    expect(values.province).toBe(1);
    expect((values.attributes!.visit as dayjs.Dayjs).format("DD/MM/YYYY")).toBe("29/02/2024");
    expect(values.attributes!.hobbies).toEqual([]);
  });

  it("sends only what changed, attributes one by one", () => {
    const values = toFormValues(customer, definitions);
    const before = toPayload(values, definitions);
    const after = toPayload({ ...values, email: " an@example.com ", birthday: null,
                              attributes: { ...values.attributes, hobbies: ["golf"] } }, definitions);
    expect(changedBody(before, after)).toEqual({ email: "an@example.com", birthday: null,
                                                  attributes: { hobbies: ["golf"] } });
    expect(changedBody(before, before)).toEqual({});
  });

  it("creates without blanks", () => {
    const body = createBody({ name: "An", phone: "0912 345 678", email: "", labels: [],
                              attributes: { income: "15", visit: dayjs("2025-01-02") } }, definitions);
    expect(body).toEqual({ name: "An", phone: "0912 345 678", attributes: { income: 15, visit: "2025-01-02" } });
  });

  it("names the fields a colleague changed, with both values", () => {
    const base = toPayload(toFormValues(customer, definitions), definitions);
    const theirs = { ...base, email: "their@example.com", attributes: { ...(base.attributes as object), income: 20 } };
    const mine = { ...base, email: "mine@example.com", name: "An" };
    expect(conflicts(base, theirs, mine)).toEqual([
      { path: "email", mine: "mine@example.com", theirs: "their@example.com" },
      { path: "attributes.income", mine: 12, theirs: 20 },
    ]);
  });

  it("maps an API error's field to the form's", () => {
    expect(fieldPath("email")).toEqual(["email"]);
    expect(fieldPath("attributes.income")).toEqual(["attributes", "income"]);
  });
});
