// Every field the list can show as a column or offer as a filter (the keys of /me/views/customers).
import type { MessageKey } from "../../../i18n/messages";

export type FilterKind = "status" | "labels" | "groups" | "person" | "tags" | "dates" | "presence";

export interface FieldSpec {
  key: string;
  sortable: boolean;
  filter?: FilterKind;
  /** the filter's query names when they differ from the key: [from, to] for dates, the has_… flag */
  params?: string[];
}

const SORTABLE = new Set(["birthday", "company_name", "created_at", "customer_type", "email", "founding_date", "gender",
  "industry", "lifecycle", "name", "organization_size", "party_type", "phone", "province", "source", "status",
  "tax_code", "updated_at"]);

const FILTERS: Record<string, Pick<FieldSpec, "filter" | "params">> = {
  status: { filter: "status" },
  labels: { filter: "labels" },
  groups: { filter: "groups" },
  owner_id: { filter: "person" },
  holder_id: { filter: "person" },
  province: { filter: "tags" },
  source: { filter: "tags" },
  customer_type: { filter: "tags" },
  industry: { filter: "tags" },
  organization_size: { filter: "tags" },
  gender: { filter: "tags" },
  lifecycle: { filter: "tags" },
  party_type: { filter: "tags" },
  created_at: { filter: "dates", params: ["created_from", "created_to"] },
  updated_at: { filter: "dates", params: ["updated_from", "updated_to"] },
  birthday: { filter: "dates", params: ["birthday_from", "birthday_to"] },
  email: { filter: "presence", params: ["has_email"] },
  tax_code: { filter: "presence", params: ["has_tax_code"] },
};

export const FIELD_KEYS = ["name", "phone", "email", "birthday", "province", "gender", "address", "source",
  "customer_type", "company_name", "tax_code", "position", "note", "party_type", "organization_size", "founding_date",
  "industry", "description", "contact_person", "lifecycle", "status", "labels", "groups", "owner_id",
  "owner_unit_id", "holder_id", "viewer_ids", "referred_by", "created_at", "updated_at"] as const;

export const FIELDS: FieldSpec[] = FIELD_KEYS.map((key) => ({ key, sortable: SORTABLE.has(key), ...FILTERS[key] }));

export const FILTERABLE = FIELDS.filter((field) => field.filter);

export function fieldSpec(key: string): FieldSpec | undefined {
  return FIELDS.find((field) => field.key === key);
}

export function fieldTitle(key: string): MessageKey {
  return `customers.list.col.${key}` as MessageKey;
}

/** The query names a filter field sets (to clear them together). */
export function filterParams(field: FieldSpec): string[] {
  return field.params ?? [field.key];
}

/** The API's default view (GET /me/views/customers before anything is saved): the list starts with it
 * without waiting for the view. */
export const DEFAULT_COLUMNS = ["name", "phone", "status", "labels", "owner_id", "province", "created_at"];
export const DEFAULT_FILTERS = ["status", "labels", "owner_id", "province", "source", "created_at"];
