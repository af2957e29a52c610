import type { CustomerAttribute } from "../../../api/types";
import { useT } from "../../../i18n/I18nProvider";
import { DATE } from "../../../lib/format";
import PersonName from "../detail/PersonName";
import { localPhone } from "../detail/phone";
import { GENDERS, LIFECYCLES, PARTY_TYPES } from "./labels";
import { useGroups, useLabels, useLocalName, useStatusName } from "./options";
import { PROVINCES } from "./provinces";
import { toDay } from "./values";

interface Props {
  /** a built-in field's name, or "attributes.<key>" */
  path: string;
  /** the value as the API carries it */
  value: unknown;
  definitions: CustomerAttribute[];
}

/** A customer field's value as people read it: names instead of keys, dates dd/mm/yyyy. */
export default function FieldValue({ path, value, definitions }: Props) {
  const t = useT();
  const localName = useLocalName();
  const statusName = useStatusName();
  const labels = useLabels();
  const groups = useGroups();
  if (value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0)) {
    return <span>{t("customers.form.empty")}</span>;
  }
  const fixed = (items: { value: string; label: Parameters<typeof t>[0] }[]) => {
    const found = items.find((item) => item.value === value);
    return found ? t(found.label) : String(value);
  };
  const definition = path.startsWith("attributes.")
    ? definitions.find((item) => `attributes.${item.key}` === path) : undefined;
  let shown: string;
  switch (definition ? `attribute:${definition.type}` : path) {
    case "birthday":
    case "founding_date":
    case "attribute:date":
      shown = toDay(value)?.format(DATE) ?? String(value);
      break;
    case "province":
      shown = typeof value === "object" ? String((value as { name?: string }).name ?? "")
        : PROVINCES.find((province) => province.code === Number(value))?.name ?? String(value);
      break;
    case "gender": shown = fixed(GENDERS); break;
    case "party_type": shown = fixed(PARTY_TYPES); break;
    case "lifecycle": shown = fixed(LIFECYCLES); break;
    case "status": shown = statusName(String(value)); break;
    case "labels":
      shown = (value as string[]).map((key) => localName(labels.data?.find((item) => item.key === key), key)).join(", ");
      break;
    case "groups":
      shown = (value as string[]).map((id) => groups.data?.find((group) => group.id === id)?.name ?? id).join(", ");
      break;
    case "phone":
      shown = localPhone(String(value));
      break;
    case "owner_id":
      return <PersonName id={String(value)} />;
    case "attribute:boolean":
      shown = value ? t("common.yes") : t("common.no");
      break;
    case "attribute:select":
    case "attribute:multi-select": {
      const values = Array.isArray(value) ? value : [value];
      shown = values.map((item) => definition!.options.find((option) => option.value === item)?.label ?? String(item))
        .join(", ");
      break;
    }
    default:
      shown = Array.isArray(value) ? value.join(", ") : String(value);
  }
  return <span>{shown}</span>;
}
