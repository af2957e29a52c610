import { Menu, Select } from "antd";
import { TagOutlined, TeamOutlined } from "@ant-design/icons";
import { useT } from "../../../i18n/I18nProvider";
import type { FilterValues } from "./filters";
import { useGroups, useLabels, useLocalName } from "./lookups";

interface Props {
  value: FilterValues;
  onChange: (value: FilterValues) => void;
  /** a phone: one select instead of the menu */
  compact: boolean;
}

const ALL = "all";
const GROUP_TITLE = { color: "rgba(0, 0, 0, 0.65)", fontWeight: 600 };

/** The customer groups and labels on the left of the list (seed 001): a click filters the list by one. */
export function Sidebar({ value, onChange, compact }: Props) {
  const t = useT();
  const localName = useLocalName();
  const groups = useGroups().data ?? [];
  const labels = useLabels().data ?? [];
  const selected = value.groups?.length === 1 && !value.labels?.length ? `group:${value.groups[0]}`
    : value.labels?.length === 1 && !value.groups?.length ? `label:${value.labels[0]}`
    : !value.groups?.length && !value.labels?.length ? ALL : undefined;

  const pick = (key: string) => {
    const [kind, id] = key.split(/:(.*)/s);
    onChange({ ...value, groups: kind === "group" ? [id] : undefined, labels: kind === "label" ? [id] : undefined });
  };

  if (compact) {
    return (
      <Select aria-label={t("customers.list.sidebar")} value={selected ?? ALL} onChange={pick}
              style={{ width: "100%" }} showSearch={{ optionFilterProp: "label" }}
              options={[
                { value: ALL, label: t("customers.list.everyone") },
                { label: t("customers.list.groups"), title: "groups",
                  options: groups.map((group) => ({ value: `group:${group.id}`, label: group.name })) },
                { label: t("customers.list.labels"), title: "labels",
                  options: labels.map((label) => ({ value: `label:${label.key}`, label: localName(label) })) },
              ]} />
    );
  }
  return (
    <nav aria-label={t("customers.list.sidebar")}>
      <Menu mode="inline" selectedKeys={selected ? [selected] : []} onClick={({ key }) => pick(key)}
            style={{ borderInlineEnd: 0 }}
            items={[
              { key: ALL, label: t("customers.list.everyone") },
              { type: "group", key: "groups", label: <span style={GROUP_TITLE}>{t("customers.list.groups")}</span>,
                children: groups.map((group) => ({ key: `group:${group.id}`, icon: <TeamOutlined />, label: group.name })) },
              { type: "group", key: "labels", label: <span style={GROUP_TITLE}>{t("customers.list.labels")}</span>,
                children: labels.map((label) => ({ key: `label:${label.key}`, icon: <TagOutlined />, label: localName(label) })) },
            ]} />
    </nav>
  );
}
