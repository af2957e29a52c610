import { Descriptions, Tag } from "antd";
import type { Customer } from "../../../api/types";
import { useT } from "../../../i18n/I18nProvider";
import { formatDateTime } from "../../../lib/format";
import FieldValue from "../form/FieldValue";
import { FIELD_LABELS } from "../form/labels";
import { useLabels, useLocalName } from "../form/options";
import PersonName from "./PersonName";

const SHOWN = [
  "party_type", "name", "phone", "email", "birthday", "gender", "province", "address", "company_name", "tax_code",
  "position", "source", "customer_type", "lifecycle", "status", "groups", "note",
] as const;
const ORGANIZATION = ["organization_size", "founding_date", "industry", "contact_person", "description"] as const;

/** "Thông tin chung": every built-in field, readable (names for keys, dates dd/mm/yyyy). */
export default function GeneralTab({ customer }: { customer: Customer }) {
  const t = useT();
  const labels = useLabels();
  const localName = useLocalName();
  const fields = customer.party_type === "organization" ? [...SHOWN, ...ORGANIZATION] : SHOWN;
  const value = (field: string) => customer[field as keyof Customer];
  return (
    <Descriptions bordered size="small" column={{ xs: 1, sm: 1, md: 2 }}
                  items={[
                    ...fields.map((field) => ({
                      key: field, label: t(FIELD_LABELS[field]),
                      children: <FieldValue path={field} value={value(field)} definitions={[]} />,
                    })),
                    {
                      key: "labels", label: t(FIELD_LABELS.labels),
                      children: customer.labels.length
                        ? customer.labels.map((key) => (
                          <Tag key={key}>{localName(labels.data?.find((item) => item.key === key), key)}</Tag>))
                        : t("customers.form.empty"),
                    },
                    {
                      key: "owner", label: t("customers.detail.owner"),
                      children: customer.owner_id ? <PersonName id={customer.owner_id} /> : t("customers.detail.noOwner"),
                    },
                    ...(customer.holder_id ? [{
                      key: "holder", label: t("customers.detail.holder"), children: <PersonName id={customer.holder_id} />,
                    }] : []),
                    { key: "created", label: t("customers.detail.createdAt"), children: formatDateTime(customer.created_at) },
                    { key: "updated", label: t("customers.detail.updatedAt"), children: formatDateTime(customer.updated_at) },
                  ]} />
  );
}
