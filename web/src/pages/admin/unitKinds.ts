import type { UnitKind } from "../../api/types";
import { useT } from "../../i18n/I18nProvider";

export const UNIT_KINDS: UnitKind[] = ["company", "branch", "department", "team"];

/** company → branch → department → team: a unit sits strictly below its parent's level (levels may be skipped). */
export function canHold(parent: UnitKind, child: UnitKind): boolean {
  return UNIT_KINDS.indexOf(parent) < UNIT_KINDS.indexOf(child);
}

export function useKindOptions() {
  const t = useT();
  return UNIT_KINDS.map((kind) => ({ value: kind, label: t(`units.kind.${kind}`) }));
}
