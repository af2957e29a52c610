import { lazy, Suspense, useState } from "react";
import { Button, Flex, Input, Select } from "antd";
import { useT } from "../../../i18n/I18nProvider";
import type { DateRangeProps } from "./DateRangeFilter";
import { fieldSpec, fieldTitle, filterParams, type FieldSpec } from "./fields";
import type { FilterValues } from "./filters";
import { useGroups, useLabels, useLocalName, useStatuses } from "./lookups";
import { PeopleSelect } from "./people";

interface Props {
  /** the filters the user chose to show, in order */
  keys: string[];
  value: FilterValues;
  onChange: (value: FilterValues) => void;
}

type Values = Record<string, unknown>;

const WIDE = { minWidth: 170, maxWidth: 260 };

/** The filters of the user's view ("Cấu hình bộ lọc"), each one control; changes apply at once. */
export function FilterBar({ keys, value, onChange }: Props) {
  const t = useT();
  const values = value as Values;
  const fields = keys.map(fieldSpec).filter((field): field is FieldSpec => Boolean(field?.filter));
  const set = (changes: Values) => onChange({ ...value, ...changes } as FilterValues);
  const active = fields.some((field) => filterParams(field).some((name) => values[name] !== undefined
    && !(Array.isArray(values[name]) && (values[name] as unknown[]).length === 0)));
  const clear = () => {
    const next: Values = { ...values };
    fields.forEach((field) => filterParams(field).forEach((name) => delete next[name]));
    onChange(next as FilterValues);
  };

  return (
    <Flex gap={8} wrap align="center" role="group" aria-label={t("customers.list.filters")}>
      {fields.map((field) => (
        <FilterControl key={field.key} field={field} values={values} set={set} />
      ))}
      {active && <Button onClick={clear}>{t("customers.list.clearFilters")}</Button>}
    </Flex>
  );
}

function FilterControl({ field, values, set }: { field: FieldSpec; values: Values; set: (changes: Values) => void }) {
  const t = useT();
  const localName = useLocalName();
  const statuses = useStatuses();
  const labels = useLabels();
  const groups = useGroups();
  const name = t(fieldTitle(field.key));
  const common = { "aria-label": t("customers.list.filterBy", { field: name }), placeholder: name, allowClear: true,
                   style: WIDE, maxTagCount: "responsive" as const };
  const list = (values[field.key] as string[] | undefined) ?? [];

  switch (field.filter) {
    case "status":
      return <Select {...common} mode="multiple" value={list} onChange={(next) => set({ status: next })}
                     options={statuses.data?.map((item) => ({ value: item.key, label: localName(item) }))} />;
    case "labels":
      return <Select {...common} mode="multiple" value={list} onChange={(next) => set({ labels: next })}
                     optionFilterProp="label"
                     options={labels.data?.map((item) => ({ value: item.key, label: localName(item) }))} />;
    case "groups":
      return <Select {...common} mode="multiple" value={list} onChange={(next) => set({ groups: next })}
                     optionFilterProp="label"
                     options={groups.data?.map((item) => ({ value: item.id, label: item.name }))} />;
    case "person":
      return <PeopleSelect aria-label={common["aria-label"]} placeholder={name} style={WIDE} value={list}
                           onChange={(next) => set({ [field.key]: next })} />;
    case "tags":
      return <Select {...common} mode="tags" value={list} open={false} suffixIcon={null} tokenSeparators={[","]}
                     onChange={(next) => set({ [field.key]: next })} />;
    case "presence": {
      const [param] = filterParams(field);
      const current = values[param];
      return <Select {...common} value={current === undefined ? undefined : String(current)}
                     onChange={(next?: string) => set({ [param]: next === undefined ? undefined : next === "true" })}
                     options={[{ value: "true", label: `${name}: ${t("common.yes")}` },
                               { value: "false", label: `${name}: ${t("common.no")}` }]} />;
    }
    case "dates": {
      const [from, to] = filterParams(field);
      return <DateRange label={common["aria-label"]} placeholder={name} from={values[from] as string | undefined}
                        to={values[to] as string | undefined} onChange={(start, end) => set({ [from]: start, [to]: end })} />;
    }
    default:
      return null;
  }
}

const DateRangeFilter = lazy(() => import("./DateRangeFilter"));

/** "2026-11-29" (a day, no zone) as the guides write it: 29/11/2026 */
const asShown = (day?: string) => (day ? day.split("-").reverse().join("/") : "…");

/** The date filter as a plain field until it is used, then antd's RangePicker, opened. */
function DateRange(props: DateRangeProps) {
  const [used, setUsed] = useState(false);
  const { label, placeholder, from, to } = props;
  const field = <Input readOnly aria-label={label} placeholder={`${placeholder} → ${placeholder}`} style={{ width: 240 }}
                       value={from || to ? `${asShown(from)} → ${asShown(to)}` : ""}
                       onFocus={() => setUsed(true)} onClick={() => setUsed(true)} />;
  if (!used) return field;
  return <Suspense fallback={field}><DateRangeFilter {...props} autoOpen /></Suspense>;
}
