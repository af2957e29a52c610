import { Checkbox, DatePicker, Form, Input, InputNumber, Select, Switch } from "antd";
import type { FormRule as Rule } from "antd";
import type { CustomerAttribute } from "../../../api/types";
import { useT } from "../../../i18n/I18nProvider";
import { DATE } from "../../../lib/format";

function Control({ definition }: { definition: CustomerAttribute }) {
  const t = useT();
  const options = definition.options.map((option) => ({ value: option.value, label: option.label }));
  switch (definition.type) {
    case "number":
      return <InputNumber style={{ width: "100%" }} />;
    case "date":
      return <DatePicker format={DATE} placeholder={t("customers.form.datePlaceholder")} style={{ width: "100%" }} />;
    case "boolean":
      return <Switch />;
    case "select":
      return <Select allowClear options={options} placeholder={t("customers.form.select")}
                     showSearch={{ optionFilterProp: "label" }} />;
    case "multi-select":
      return options.length <= 6
        ? <Checkbox.Group options={options} />
        : <Select mode="multiple" allowClear options={options} placeholder={t("customers.form.select")}
                  showSearch={{ optionFilterProp: "label" }} />;
    case "email":
      return <Input type="email" autoComplete="off" />;
    case "phone":
      return <Input type="tel" autoComplete="off" />;
    case "url":
      return <Input type="url" autoComplete="off" />;
    default:
      return <Input />;
  }
}

/** One admin-defined attribute of a customer, as its definition says (type, options, required). */
export default function AttributeField({ definition }: { definition: CustomerAttribute }) {
  const t = useT();
  const rules: Rule[] = definition.required
    ? [{ required: true, message: t("customers.form.required", { field: definition.name }) }]
    : [];
  return (
    <Form.Item name={["attributes", definition.key]} label={definition.name} rules={rules}
               valuePropName={definition.type === "boolean" ? "checked" : "value"}>
      <Control definition={definition} />
    </Form.Item>
  );
}
