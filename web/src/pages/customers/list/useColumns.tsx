import { useMemo } from "react";
import { Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { Link } from "../../../lib/router";
import type { Customer } from "../../../api/types";
import { useT } from "../../../i18n/I18nProvider";
import type { MessageKey } from "../../../i18n/messages";
import { formatDate } from "../../../lib/format";
import { fieldSpec, fieldTitle } from "./fields";
import { sortOrderOf } from "./filters";
import { useGroups, useLabels, useLocalName, useStatuses, type AttributeDefinition } from "./lookups";
import { PersonName } from "./people";

type Row = Customer & Record<string, unknown>;

/** darker than antd's link blue: readable on a selected or sorted row */
const LINK = { color: "#0958d9" };
const WIDE_TEXT = new Set(["note", "description", "address"]);
const nowrap = () => ({ style: { whiteSpace: "nowrap" as const } });
const DATES = new Set(["birthday", "founding_date", "created_at", "updated_at"]);

/** The table's columns in the user's order, each cell rendered as text (never as HTML). */
export function useColumns(keys: string[], sort: string, attributes?: AttributeDefinition[],
                           widths?: Map<string, number>): ColumnsType<Customer> {
  const t = useT();
  const localName = useLocalName();
  const labels = useLabels().data;
  const groups = useGroups().data;
  const statuses = useStatuses().data;

  return useMemo(() => {
    const labelName = new Map(labels?.map((label) => [label.key, localName(label)]));
    const groupName = new Map(groups?.map((group) => [group.id, group.name]));
    const statusName = new Map(statuses?.map((status) => [status.key, localName(status)]));

    const cell = (key: string, row: Row) => {
      const value = row[key];
      if (key === "name") return <Link to={`/customers/${row.id}`} style={LINK}>{row.name}</Link>;
      if (key === "status") return <Tag>{statusName.get(row.status) ?? row.status}</Tag>;
      if (key === "labels") return row.labels.map((label) => <Tag key={label}>{labelName.get(label) ?? label}</Tag>);
      if (key === "groups") return row.groups.map((id) => groupName.get(id) ?? id.slice(0, 8)).join(", ");
      if (key === "province") return row.province?.name ?? "";
      if (key === "owner_id" || key === "holder_id") return typeof value === "string" ? <PersonName id={value} /> : "";
      if (key === "owner_unit_id") return row.owner_id ? <PersonName id={row.owner_id} unit /> : "";
      if (key === "viewer_ids") {
        return row.viewer_ids.map((id, index) => <span key={id}>{index > 0 && ", "}<PersonName id={id} /></span>);
      }
      if (key === "referred_by") return row.referred_by ? <Link to={`/customers/${row.referred_by}`} style={LINK}>↗</Link> : "";
      if (key === "gender" && typeof value === "string") {
        return t(`customers.list.gender.${value}` as MessageKey);
      }
      if (DATES.has(key)) return formatDate(value as string | null);
      if (key.startsWith("attr.") || key.startsWith("attributes.")) {
        const attribute = row.attributes?.[key.slice(key.indexOf(".") + 1)];
        return attribute === undefined || attribute === null ? "" : Array.isArray(attribute)
          ? attribute.join(", ") : String(attribute);
      }
      return value === undefined || value === null ? "" : String(value);
    };

    return keys.map((key) => {
      const spec = fieldSpec(key);
      const attributeKey = key.slice(key.indexOf(".") + 1);
      const title = spec ? t(fieldTitle(key))
        : attributes?.find((attribute) => attribute.key === attributeKey)?.name ?? attributeKey;
      return {
        key,
        dataIndex: key,
        title,
        sorter: spec?.sortable ? true : undefined,
        sortOrder: spec?.sortable ? sortOrderOf(sort, key) : undefined,
        ...(WIDE_TEXT.has(key) ? { ellipsis: true, width: 220 } : { onCell: nowrap, onHeaderCell: nowrap }),
        ...(widths?.get(key) ? { width: widths.get(key) } : {}),
        render: (_: unknown, row: Customer) => cell(key, row as Row),
      };
    });
  }, [keys, sort, t, labels, groups, statuses, localName, attributes, widths]);
}
