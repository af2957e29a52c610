import { Col, DatePicker, Form, Input, Row, Select, Typography } from "antd";
import type { ReactNode } from "react";
import type { CustomerAttribute } from "../../../api/types";
import { hasRole, useAuth } from "../../../auth/AuthProvider";
import { useT } from "../../../i18n/I18nProvider";
import type { MessageKey } from "../../../i18n/messages";
import { DATE } from "../../../lib/format";
import AttributeField from "./AttributeField";
import CustomerSelect from "./CustomerSelect";
import { FIELD_LABELS, GENDERS, LIFECYCLES, ORGANIZATION_SIZES, PARTY_TYPES } from "./labels";
import { useGroups, useLabels, useLocalName, useStatuses } from "./options";
import PersonSelect from "./PersonSelect";
import { fold, PROVINCES } from "./provinces";

/** Two columns on a wide screen, one on a phone. */
function Cell({ children, wide = false }: { children: ReactNode; wide?: boolean }) {
  return <Col xs={24} md={wide ? 24 : 12}>{children}</Col>;
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <>
      <Typography.Title level={2} style={{ fontSize: 17, marginTop: 8 }}>{title}</Typography.Title>
      <Row gutter={16}>{children}</Row>
    </>
  );
}

interface Props {
  definitions: CustomerAttribute[];
  creating: boolean;
  customerId?: string;
}

/** Every built-in field of a customer and the admin's attributes, in the guides' words. */
export default function CustomerFields({ definitions, creating, customerId }: Props) {
  const t = useT();
  const { me } = useAuth();
  const localName = useLocalName();
  const statuses = useStatuses();
  const labels = useLabels();
  const groups = useGroups();
  const partyType = Form.useWatch("party_type") as string | undefined;
  const label = (field: string) => t(FIELD_LABELS[field]);
  const choices = (items: { value: string; label: MessageKey }[]) =>
    items.map((item) => ({ value: item.value, label: t(item.label) }));
  const required = (field: string) => [{ required: true, whitespace: true,
                                         message: t("customers.form.required", { field: label(field) }) }];
  const text = (field: string, wide = false) => (
    <Cell wide={wide}><Form.Item name={field} label={label(field)}><Input /></Form.Item></Cell>
  );
  const date = (field: string) => (
    <Cell>
      <Form.Item name={field} label={label(field)}>
        <DatePicker format={DATE} placeholder={t("customers.form.datePlaceholder")} style={{ width: "100%" }} />
      </Form.Item>
    </Cell>
  );

  return (
    <>
      <Section title={t("customers.form.sectionGeneral")}>
        <Cell>
          <Form.Item name="party_type" label={label("party_type")}>
            <Select options={choices(PARTY_TYPES)} />
          </Form.Item>
        </Cell>
        <Cell>
          <Form.Item name="name" label={label("name")} rules={required("name")}><Input autoComplete="off" /></Form.Item>
        </Cell>
        <Cell>
          <Form.Item name="phone" label={label("phone")} rules={required("phone")}>
            <Input type="tel" autoComplete="off" />
          </Form.Item>
        </Cell>
        <Cell><Form.Item name="email" label={label("email")}><Input autoComplete="off" /></Form.Item></Cell>
        {date("birthday")}
        <Cell>
          <Form.Item name="gender" label={label("gender")}>
            <Select allowClear options={choices(GENDERS)} />
          </Form.Item>
        </Cell>
        <Cell>
          <Form.Item name="province" label={label("province")}>
            <Select allowClear
                    showSearch={{ filterOption: (input, option) => fold(String(option?.label ?? "")).includes(fold(input)) }}
                    options={PROVINCES.map((province) => ({ value: province.code, label: province.name }))} />
          </Form.Item>
        </Cell>
        {text("address")}
        {text("company_name")}
        {text("tax_code")}
        {text("position")}
      </Section>

      {partyType === "organization" && (
        <Section title={t("customers.form.sectionOrganization")}>
          <Cell>
            <Form.Item name="organization_size" label={label("organization_size")}>
              <Select allowClear options={ORGANIZATION_SIZES.map((size) => ({ value: size, label: size }))}
                      />
            </Form.Item>
          </Cell>
          {date("founding_date")}
          {text("industry")}
          {text("contact_person")}
          <Cell wide>
            <Form.Item name="description" label={label("description")}><Input.TextArea rows={2} /></Form.Item>
          </Cell>
        </Section>
      )}

      <Section title={t("customers.form.sectionClassification")}>
        {text("source")}
        {text("customer_type")}
        <Cell>
          <Form.Item name="lifecycle" label={label("lifecycle")}>
            <Select options={choices(LIFECYCLES)} />
          </Form.Item>
        </Cell>
        {creating && (
          <Cell>
            <Form.Item name="status" label={label("status")}>
              <Select allowClear loading={statuses.isLoading}
                      options={(statuses.data ?? []).map((status) => ({ value: status.key, label: localName(status) }))} />
            </Form.Item>
          </Cell>
        )}
        <Cell>
          <Form.Item name="labels" label={label("labels")}>
            <Select mode="multiple" allowClear loading={labels.isLoading}
                    showSearch={{ optionFilterProp: "label" }}
                    options={(labels.data ?? []).map((item) => ({ value: item.key, label: localName(item) }))} />
          </Form.Item>
        </Cell>
        <Cell>
          <Form.Item name="groups" label={label("groups")}>
            <Select mode="multiple" allowClear loading={groups.isLoading}
                    showSearch={{ optionFilterProp: "label" }}
                    options={(groups.data ?? []).map((group) => ({ value: group.id, label: group.name }))} />
          </Form.Item>
        </Cell>
        {hasRole(me, "admin", "manager") && (
          <Cell>
            <Form.Item name="owner_id" label={label("owner_id")}><PersonSelect /></Form.Item>
          </Cell>
        )}
        <Cell>
          <Form.Item name="referred_by" label={label("referred_by")}><CustomerSelect excludeId={customerId} /></Form.Item>
        </Cell>
        <Cell wide>
          <Form.Item name="note" label={label("note")}><Input.TextArea rows={3} /></Form.Item>
        </Cell>
      </Section>

      {definitions.length > 0 && (
        <Section title={t("customers.form.sectionPortrait")}>
          {definitions.map((definition) => (
            <Cell key={definition.id}><AttributeField definition={definition} /></Cell>
          ))}
        </Section>
      )}
    </>
  );
}
