import { Checkbox, DatePicker, Form, Input, InputNumber, Select, Switch } from "antd";
import type { FormRule as Rule } from "antd";
import type { CustomerAttribute } from "../../../api/types";
import { useT } from "../../../i18n/I18nProvider";
import { DATE } from "../../../lib/format";

/** The input of one definition; Form.Item hands it `id`, `value` and `onChange` (or `checked`). */
function Control({ definition, ...field }: { definition: CustomerAttribute } & Record<string, unknown>) {
  const t = useT();
  const options = definition.options.map((option) => ({ value: option.value, label: option.label }));
  switch (definition.type) {
    case "number":
      return <InputNumber {...field} style={{ width: "100%" }} />;
    case "date":
      return <DatePicker {...field} format={DATE} placeholder={t("customers.form.datePlaceholder")} style={{ width: "100%" }} />;
    case "boolean":
      return <Switch {...field} />;
    case "select":
      return <Select {...field} allowClear options={options}
                     showSearch={{ optionFilterProp: "label" }} />;
    case "multi-select":
      return options.length <= 6
        ? <Checkbox.Group {...field} options={options} />
        : <Select {...field} mode="multiple" allowClear options={options}
                  showSearch={{ optionFilterProp: "label" }} />;
    case "email":
      return <Input {...field} type="email" autoComplete="off" />;
    case "phone":
      return <Input {...field} type="tel" autoComplete="off" />;
    case "url":
      return <Input {...field} type="url" autoComplete="off" />;
    default:
      return <Input {...field} />;
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
