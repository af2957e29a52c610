import { Button, Dropdown, Flex } from "antd";
import { DeleteOutlined, DownOutlined, RollbackOutlined, SendOutlined } from "@ant-design/icons";
import { Text } from "../../../components/Text";
import { useT } from "../../../i18n/I18nProvider";
import type { BulkKind } from "./BulkDialog";

interface Props {
  count: number;
  allMatching: boolean;
  /** all rows loaded are ticked and more customers match: offer "select all matching" */
  offerAll: number | null;
  onSelectAll: () => void;
  onClear: () => void;
  onBulk: (kind: BulkKind) => void;
  onDelete: () => void;
  /** managers and admins distribute and recall (reps do not: the API says not_a_distributor) */
  onAssign: (() => void) | null;
  onRecall: (() => void) | null;
}

/** What can be done with the ticked customers (seed 001, seed 004 §6). */
export function BulkBar({ count, allMatching, offerAll, onSelectAll, onClear, onBulk, onDelete, onAssign,
                          onRecall }: Props) {
  const t = useT();
  return (
    <Flex gap={8} wrap align="center" role="region" aria-label={t("customers.bulk.actions")}
          style={{ padding: "8px 12px", background: "#e6f4ff", borderRadius: 6, marginBottom: 8 }}>
      <Text strong data-testid="selection-count">
        {allMatching ? t("customers.list.allMatchingSelected", { count }) : t("customers.list.selected", { count })}
      </Text>
      {offerAll !== null && !allMatching && (
        <Button type="link" onClick={onSelectAll}>{t("customers.list.selectAllMatching", { count: offerAll })}</Button>
      )}
      <Button type="link" onClick={onClear}>{t("customers.list.clearSelection")}</Button>
      <Flex gap={8} wrap style={{ marginInlineStart: "auto" }}>
        {onAssign && <Button type="primary" icon={<SendOutlined />} onClick={onAssign}>{t("customers.bulk.assign")}</Button>}
        {onRecall && <Button icon={<RollbackOutlined />} onClick={onRecall}>{t("customers.bulk.recall")}</Button>}
        <Dropdown trigger={["click"]} menu={{
          items: [
            { key: "labels", label: t("customers.bulk.labels") },
            { key: "group", label: t("customers.bulk.group") },
            { key: "status", label: t("customers.bulk.status") },
            { type: "divider" },
            { key: "delete", danger: true, icon: <DeleteOutlined />, label: t("customers.bulk.delete") },
          ],
          onClick: ({ key }) => (key === "delete" ? onDelete() : onBulk(key as BulkKind)),
        }}>
          <Button>{t("customers.bulk.actions")} <DownOutlined /></Button>
        </Dropdown>
      </Flex>
    </Flex>
  );
}
