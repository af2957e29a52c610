import { useState, type DragEvent } from "react";
import { Button, Checkbox, Flex, Modal, Typography } from "antd";
import { useFeedback } from "../../../lib/feedback";
import { ArrowDownOutlined, ArrowUpOutlined, HolderOutlined } from "@ant-design/icons";
import { useT } from "../../../i18n/I18nProvider";
import { move } from "./filters";

export interface SettingsItem {
  key: string;
  title: string;
}

interface Props {
  open: boolean;
  title: string;
  /** every item that can be shown */
  items: SettingsItem[];
  /** the keys shown now, in order */
  shown: string[];
  saving: boolean;
  onSave: (shown: string[]) => void;
  onClose: () => void;
}

/** Seed 004's "Cấu hình bộ lọc / hiển thị", mounted when opened: drag items from "Thông tin khác" to
 * "Thông tin hiển thị" and order them (HTML drag and drop, and up/down buttons for the keyboard and touch
 * screens). */
export function ViewSettingsModal({ open, title, items, shown, saving, onSave, onClose }: Props) {
  const t = useT();
  const { message } = useFeedback();
  const [order, setOrder] = useState<string[]>(shown);
  const titleOf = new Map(items.map((item) => [item.key, item.title]));
  const others = items.filter((item) => !order.includes(item.key));

  const dragStart = (key: string) => (event: DragEvent) => event.dataTransfer.setData("text/plain", key);
  const dropOnShown = (before: string | null) => (event: DragEvent) => {
    event.preventDefault();
    event.stopPropagation();
    const key = event.dataTransfer.getData("text/plain");
    if (!titleOf.has(key)) return;
    const rest = order.filter((item) => item !== key);
    const at = before === null ? rest.length : Math.max(0, rest.indexOf(before));
    setOrder([...rest.slice(0, at), key, ...rest.slice(at)]);
  };
  const dropOnOthers = (event: DragEvent) => {
    event.preventDefault();
    const key = event.dataTransfer.getData("text/plain");
    setOrder((current) => (current.length > 1 ? current.filter((item) => item !== key) : current));
  };
  const allowDrop = (event: DragEvent) => event.preventDefault();

  const save = () => {
    if (order.length === 0) {
      void message.warning(t("customers.list.atLeastOneColumn"));
      return;
    }
    onSave(order);
  };

  return (
    <Modal open={open} title={title} onCancel={onClose} onOk={save} okText={t("common.confirm")}
           cancelText={t("common.cancel")} confirmLoading={saving} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t("customers.list.dragHint")}</Typography.Paragraph>
      <Flex gap={16} wrap>
        <section style={{ flex: "1 1 220px" }} aria-labelledby="view-shown" onDragOver={allowDrop}
                 onDrop={dropOnShown(null)}>
          <Typography.Title level={2} id="view-shown" style={{ fontSize: 15 }}>{t("customers.list.shownInfo")}</Typography.Title>
          <ol style={{ listStyle: "none", padding: 0, margin: 0, minHeight: 80 }} data-testid="shown-fields">
            {order.map((key, index) => {
              const name = titleOf.get(key) ?? key;
              return (
                <li key={key} draggable onDragStart={dragStart(key)} onDragOver={allowDrop} onDrop={dropOnShown(key)}
                    style={{ display: "flex", alignItems: "center", gap: 4, padding: "2px 4px", cursor: "grab",
                             borderBottom: "1px solid #f0f0f0" }}>
                  <HolderOutlined aria-hidden />
                  <Checkbox checked onChange={() => setOrder(order.filter((item) => item !== key))}
                            style={{ flex: 1 }}>{name}</Checkbox>
                  <Button size="small" type="text" icon={<ArrowUpOutlined />} disabled={index === 0}
                          aria-label={t("customers.list.moveUp", { name })}
                          onClick={() => setOrder(move(order, index, index - 1))} />
                  <Button size="small" type="text" icon={<ArrowDownOutlined />} disabled={index === order.length - 1}
                          aria-label={t("customers.list.moveDown", { name })}
                          onClick={() => setOrder(move(order, index, index + 1))} />
                </li>
              );
            })}
          </ol>
        </section>
        <section style={{ flex: "1 1 220px" }} aria-labelledby="view-others" onDragOver={allowDrop}
                 onDrop={dropOnOthers}>
          <Typography.Title level={2} id="view-others" style={{ fontSize: 15 }}>{t("customers.list.otherInfo")}</Typography.Title>
          <ul style={{ listStyle: "none", padding: 0, margin: 0, minHeight: 80 }}>
            {others.map((item) => (
              <li key={item.key} draggable onDragStart={dragStart(item.key)}
                  style={{ padding: "2px 4px", cursor: "grab", borderBottom: "1px solid #f0f0f0" }}>
                <Checkbox checked={false} onChange={() => setOrder([...order, item.key])}>{item.title}</Checkbox>
              </li>
            ))}
          </ul>
        </section>
      </Flex>
    </Modal>
  );
}
