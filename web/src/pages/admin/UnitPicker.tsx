import { TreeSelect } from "antd";
import { useMemo } from "react";
import type { Unit } from "../../api/types";
import { foldAccents } from "./text";
import { unitTree, type UnitNode } from "./unitTree";

interface Props {
  units: Unit[];
  value?: string | null;
  onChange?: (value: string) => void;
  /** this unit and its subtree cannot be picked (a unit does not move under itself) */
  excludeSubtreeOf?: string;
  /** units that cannot be picked, e.g. a parent not above the unit's level */
  refuse?: (unit: Unit) => boolean;
  id?: string;
  placeholder?: string;
  allowClear?: boolean;
  "aria-label"?: string;
}

/** Pick a unit from the tree, typing part of its name (accents optional). */
export function UnitPicker({ units, excludeSubtreeOf, refuse, value, ...props }: Props) {
  const tree = useMemo(() => unitTree(units, excludeSubtreeOf, refuse), [units, excludeSubtreeOf, refuse]);
  return (
    <TreeSelect<string> {...props} value={value ?? undefined} treeData={tree} showSearch treeDefaultExpandAll={false}
                        treeNodeFilterProp="title" popupMatchSelectWidth={false} style={{ width: "100%" }}
                        filterTreeNode={(input, node) => foldAccents(String((node as unknown as UnitNode).title))
                          .includes(foldAccents(input))} />
  );
}
