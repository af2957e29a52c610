import type { UnitKind } from "../../api/types";
import { useT } from "../../i18n/I18nProvider";

export const UNIT_KINDS: UnitKind[] = ["company", "branch", "department", "team"];

export function useKindOptions() {
  const t = useT();
  return UNIT_KINDS.map((kind) => ({ value: kind, label: t(`units.kind.${kind}`) }));
}
