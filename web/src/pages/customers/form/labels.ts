import type { MessageKey } from "../../../i18n/messages";

/** The label of each built-in field, as the guides name them. */
export const FIELD_LABELS: Record<string, MessageKey> = {
  name: "customers.form.name",
  phone: "customers.form.phone",
  email: "customers.form.email",
  birthday: "customers.form.birthday",
  province: "customers.form.province",
  gender: "customers.form.gender",
  address: "customers.form.address",
  source: "customers.form.source",
  customer_type: "customers.form.customerType",
  company_name: "customers.form.companyName",
  tax_code: "customers.form.taxCode",
  position: "customers.form.position",
  note: "customers.form.note",
  party_type: "customers.form.partyType",
  organization_size: "customers.form.organizationSize",
  founding_date: "customers.form.foundingDate",
  industry: "customers.form.industry",
  description: "customers.form.description",
  contact_person: "customers.form.contactPerson",
  lifecycle: "customers.form.lifecycle",
  status: "customers.form.status",
  labels: "customers.form.labels",
  groups: "customers.form.groups",
  owner_id: "customers.form.owner",
  referred_by: "customers.form.referredBy",
};

export const GENDERS: { value: string; label: MessageKey }[] = [
  { value: "male", label: "customers.form.genderMale" },
  { value: "female", label: "customers.form.genderFemale" },
  { value: "other", label: "customers.form.genderOther" },
];

export const PARTY_TYPES: { value: string; label: MessageKey }[] = [
  { value: "individual", label: "customers.form.partyIndividual" },
  { value: "organization", label: "customers.form.partyOrganization" },
];

export const LIFECYCLES: { value: string; label: MessageKey }[] = [
  { value: "lead", label: "customers.form.lifecycleLead" },
  { value: "customer", label: "customers.form.lifecycleCustomer" },
];

export const ORGANIZATION_SIZES = ["1-9", "10-49", "50-199", "200-499", "500-999", "1000+"];
