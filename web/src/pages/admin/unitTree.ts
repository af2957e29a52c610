// The unit list as a tree (children by name), for the Tree and the TreeSelect pickers.
import type { Unit } from "../../api/types";

export interface UnitNode {
  key: string;
  value: string;
  title: string;
  unit: Unit;
  disabled?: boolean;
  children: UnitNode[];
}

/** Roots are the units whose parent is absent from the list (a manager sees only a subtree). */
export function unitTree(units: Unit[], disabledUnder?: string, refused?: (unit: Unit) => boolean): UnitNode[] {
  const known = new Set(units.map((unit) => unit.id));
  const byParent = new Map<string | null, Unit[]>();
  for (const unit of units) {
    const parent = unit.parent_id && known.has(unit.parent_id) ? unit.parent_id : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), unit]);
  }
  const build = (parent: string | null, disabled: boolean): UnitNode[] =>
    (byParent.get(parent) ?? [])
      .sort((a, b) => a.name.localeCompare(b.name, "vi"))
      .map((unit) => {
        const off = disabled || unit.id === disabledUnder;
        return { key: unit.id, value: unit.id, title: unit.name, unit, disabled: off || Boolean(refused?.(unit)),
                 children: build(unit.id, off) };
      });
  return build(null, false);
}

/** The names from the root down to the unit, e.g. "Công ty / Chi nhánh Hà Nội / Nhóm 1". */
export function unitTrail(units: Map<string, Unit>, unitId: string | null | undefined): string {
  const names: string[] = [];
  let current = unitId ? units.get(unitId) : undefined;
  while (current) {
    names.unshift(current.name);
    current = current.parent_id ? units.get(current.parent_id) : undefined;
  }
  return names.join(" / ");
}
