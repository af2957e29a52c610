// Between a customer record, the form's values and the API's bodies: dates as Dayjs in the form and
// yyyy-mm-dd on the wire, blank text as null, only the changed fields in a PATCH.
import dayjs, { type Dayjs } from "dayjs";
import type { AttributeType, Customer, CustomerAttribute } from "../../../api/types";

export const TEXT_FIELDS = [
  "name", "phone", "email", "gender", "address", "source", "customer_type", "company_name", "tax_code",
  "position", "note", "party_type", "organization_size", "industry", "description", "contact_person",
  "lifecycle", "status", "owner_id", "referred_by",
] as const;
export const DATE_FIELDS = ["birthday", "founding_date"] as const;

type TextField = (typeof TEXT_FIELDS)[number];
type DateField = (typeof DATE_FIELDS)[number];

export type FormValues = {
  [K in TextField]?: string | null;
} & {
  [K in DateField]?: Dayjs | null;
} & {
  province?: number | null;
  labels?: string[];
  groups?: string[];
  attributes?: Record<string, unknown>;
};

export type Payload = Record<string, unknown>;

const WIRE_DATE = "YYYY-MM-DD";

/** A yyyy-mm-dd (or full ISO) date as a Dayjs of that calendar day, whatever the browser's zone. */
export function toDay(value: unknown): Dayjs | null {
  if (typeof value !== "string" || !value) return null;
  const day = dayjs(value.slice(0, 10));
  return day.isValid() ? day : null;
}

function isDateType(type: AttributeType): boolean {
  return type === "date";
}

function attributeToForm(definition: CustomerAttribute, value: unknown): unknown {
  if (value === undefined || value === null) return definition.type === "multi-select" ? [] : undefined;
  return isDateType(definition.type) ? toDay(value) : value;
}

function attributeToWire(definition: CustomerAttribute, value: unknown): unknown {
  if (value === undefined || value === null || value === "") return null;
  if (Array.isArray(value)) return value.length ? value : null;
  if (dayjs.isDayjs(value)) return value.format(WIRE_DATE);
  if (definition.type === "number" && typeof value === "string") return Number(value);
  return value;
}

export function toFormValues(customer: Customer, definitions: CustomerAttribute[]): FormValues {
  const values: FormValues = { attributes: {} };
  for (const field of TEXT_FIELDS) values[field] = (customer[field as keyof Customer] as string | null) ?? null;
  for (const field of DATE_FIELDS) values[field] = toDay(customer[field as keyof Customer]);
  values.province = customer.province ? Number(customer.province.code) : null;
  values.labels = customer.labels ?? [];
  values.groups = customer.groups ?? [];
  for (const definition of definitions) {
    values.attributes![definition.key] = attributeToForm(definition, customer.attributes?.[definition.key]);
  }
  return values;
}

/** The full body of the form's values (null for what is blank). */
export function toPayload(values: FormValues, definitions: CustomerAttribute[]): Payload {
  const body: Payload = {};
  for (const field of TEXT_FIELDS) {
    const value = values[field];
    body[field] = typeof value === "string" && value.trim() !== "" ? value.trim() : null;
  }
  for (const field of DATE_FIELDS) body[field] = values[field] ? values[field]!.format(WIRE_DATE) : null;
  body.province = values.province ?? null;
  body.labels = values.labels ?? [];
  body.groups = values.groups ?? [];
  const attributes: Record<string, unknown> = {};
  for (const definition of definitions) {
    attributes[definition.key] = attributeToWire(definition, values.attributes?.[definition.key]);
  }
  body.attributes = attributes;
  return body;
}

/** A creation's body: what the form holds, without the blanks. */
export function createBody(values: FormValues, definitions: CustomerAttribute[]): Payload {
  const body = toPayload(values, definitions);
  const attributes = Object.fromEntries(
    Object.entries(body.attributes as Record<string, unknown>).filter(([, value]) => value !== null));
  const kept = Object.fromEntries(Object.entries(body).filter(([name, value]) =>
    name !== "attributes" && value !== null && !(Array.isArray(value) && value.length === 0)));
  return Object.keys(attributes).length ? { ...kept, attributes } : kept;
}

/** An update's body: only the fields (and attributes) that differ from the record as it was read. */
export function changedBody(before: Payload, after: Payload): Payload {
  const body: Payload = {};
  for (const [name, value] of Object.entries(after)) {
    if (name === "attributes") continue;
    if (!same(before[name], value)) body[name] = value;
  }
  const oldAttributes = (before.attributes ?? {}) as Record<string, unknown>;
  const newAttributes = (after.attributes ?? {}) as Record<string, unknown>;
  const attributes = Object.fromEntries(Object.entries(newAttributes).filter(([key, value]) =>
    !same(oldAttributes[key] ?? null, value)));
  if (Object.keys(attributes).length) body.attributes = attributes;
  return body;
}

export function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

export interface FieldChange {
  /** "email" or "attributes.income" */
  path: string;
  mine: unknown;
  theirs: unknown;
}

/** The fields a colleague changed since `base` was read, with what the form holds and what they saved. */
export function conflicts(base: Payload, theirs: Payload, mine: Payload): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const name of Object.keys(theirs)) {
    if (name === "attributes") continue;
    if (!same(base[name], theirs[name])) changes.push({ path: name, mine: mine[name], theirs: theirs[name] });
  }
  const baseAttributes = (base.attributes ?? {}) as Record<string, unknown>;
  const theirAttributes = (theirs.attributes ?? {}) as Record<string, unknown>;
  const myAttributes = (mine.attributes ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(theirAttributes)) {
    if (!same(baseAttributes[key], theirAttributes[key])) {
      changes.push({ path: `attributes.${key}`, mine: myAttributes[key], theirs: theirAttributes[key] });
    }
  }
  return changes;
}

/** The form field an API error names: "email" → ["email"], "attributes.income" → ["attributes", "income"]. */
export function fieldPath(field: string): string[] {
  return field.replace(/^body\./, "").split(".").filter(Boolean);
}
