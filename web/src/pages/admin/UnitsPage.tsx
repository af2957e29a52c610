import { useMemo, useState } from "react";
import { Alert, Button, Card, Col, Empty, Input, Row, Spin, Tag, Tree } from "antd";
import { PlusOutlined } from "@ant-design/icons";
import type { Unit } from "../../api/types";
import { useT } from "../../i18n/I18nProvider";
import type { MessageKey } from "../../i18n/messages";
import { AdminPage } from "./AdminPage";
import { UnitChildModal } from "./UnitChildModal";
import { UnitEditForm } from "./UnitEditForm";
import { foldAccents } from "./text";
import { unitTree, type UnitNode } from "./unitTree";
import { useUnits } from "./useUnits";

function filterTree(nodes: UnitNode[], needle: string): UnitNode[] {
  return nodes.flatMap((node) => {
    const children = filterTree(node.children, needle);
    if (foldAccents(node.title).includes(needle)) return [node];
    return children.length > 0 ? [{ ...node, children }] : [];
  });
}

function keysOf(nodes: UnitNode[]): string[] {
  return nodes.flatMap((node) => [node.key, ...keysOf(node.children)]);
}

/** Đơn vị: the organisation as a tree; rename, re-level or move a unit, add a child unit. */
export default function UnitsPage() {
  const t = useT();
  const units = useUnits();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [expanded, setExpanded] = useState<string[] | null>(null);
  const [search, setSearch] = useState("");
  const [adding, setAdding] = useState(false);

  const all = useMemo(() => units.data ?? [], [units.data]);
  const tree = useMemo(() => unitTree(all), [all]);
  const needle = foldAccents(search.trim());
  const shown = needle ? filterTree(tree, needle) : tree;
  const expandedKeys = needle ? keysOf(shown) : (expanded ?? tree.map((node) => node.key));
  const selected = all.find((unit) => unit.id === selectedId);

  const title = (node: UnitNode) => (
    <span>
      <span>{node.title}</span> <Tag style={{ marginInlineStart: 4 }}>{t(`units.kind.${node.unit.kind}` as MessageKey)}</Tag>
    </span>
  );

  const added = (unit: Unit) => {
    setAdding(false);
    setExpanded([...new Set([...expandedKeys, unit.parent_id ?? ""])]);
    setSelectedId(unit.id);
  };

  return (
    <AdminPage id="units" title={t("units.title")}>
      {units.isError && <Alert type="error" title={t("common.error")} style={{ marginBottom: 12 }} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} md={12}>
          <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t("units.tree")}</h2>} size="small">
            <Input.Search aria-label={t("units.search")} placeholder={t("units.search")} allowClear
                          onChange={(event) => setSearch(event.target.value)} style={{ marginBottom: 8 }} />
            {units.isLoading ? <Spin /> : (
              <Tree<UnitNode> treeData={shown} titleRender={title} blockNode aria-label={t("units.tree")}
                              expandedKeys={expandedKeys} onExpand={(keys) => setExpanded(keys.map(String))}
                              selectedKeys={selectedId ? [selectedId] : []}
                              onSelect={(keys) => setSelectedId(keys.length ? String(keys[0]) : selectedId)} />
            )}
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t("units.details")}</h2>} size="small"
                extra={selected && selected.kind !== "team" && (
                  <Button icon={<PlusOutlined />} onClick={() => setAdding(true)}>{t("units.addChild")}</Button>
                )}>
            {selected ? <UnitEditForm key={`${selected.id}:${selected.version}`} unit={selected} units={all} />
                      : <Empty description={t("units.selectHint")} />}
          </Card>
        </Col>
      </Row>
      {selected && adding && <UnitChildModal parent={selected} onClose={() => setAdding(false)} onCreated={added} />}
    </AdminPage>
  );
}
