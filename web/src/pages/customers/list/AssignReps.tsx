import { Button, InputNumber, Select, Table, Typography } from "antd";
import { DeleteOutlined } from "@ant-design/icons";
import { useT } from "../../../i18n/I18nProvider";
import type { RosterRow } from "../../work/assignment/types";

interface Props {
  roster: RosterRow[] | undefined;
  loading: boolean;
  chosen: string[];
  onChoose: (ids: string[]) => void;
  /** null: the service splits (a strategy); otherwise each rep's count */
  quantities: Record<string, number | null> | null;
  onQuantity: (id: string, value: number | null) => void;
  count: number;
}

/** Step 3 of "Giao việc": "Chọn sale chăm sóc" among the active reps (their open leads against their
 * capacity beside each name), and the quantity of each when the quantities are typed. */
export function AssignReps({ roster, loading, chosen, onChoose, quantities, onQuantity, count }: Props) {
  const t = useT();
  const byId = new Map(roster?.map((rep) => [rep.user_id, rep]));
  const name = (id: string) => byId.get(id)?.full_name ?? id;
  const load = (rep: RosterRow) => {
    if (rep.capacity === null || rep.capacity === undefined) return t("customers.assign.openLeads", { count: rep.open_leads });
    const room = rep.room ?? rep.capacity - rep.open_leads;
    return `${t("customers.assign.capacity", { open: rep.open_leads, capacity: rep.capacity })} · ${
      room > 0 ? t("customers.assign.room", { count: room }) : t("customers.assign.full")}`;
  };
  return (
    <>
      <label htmlFor="assign-reps" style={{ display: "block", marginBottom: 8 }}>{t("customers.assign.reps")}</label>
      <Select id="assign-reps" mode="multiple" value={chosen} onChange={onChoose} loading={loading}
              optionFilterProp="label" style={{ width: "100%", marginBottom: 12 }}
              options={roster?.map((rep) => ({ value: rep.user_id, label: `${rep.full_name} (${rep.username}) · ${load(rep)}` }))} />
      {chosen.length > 0 && (
        <Table<string> size="small" rowKey={(id) => id} dataSource={chosen} pagination={false} scroll={{ x: "max-content" }}
                       aria-label={t("customers.assign.repsTable")}
                       columns={[
                         { title: t("customers.assign.repsTable"), render: (_, id) => (
                           <>
                             <div>{name(id)}</div>
                             {byId.get(id) && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{load(byId.get(id)!)}</Typography.Text>}
                           </>) },
                         ...(quantities ? [{ title: t("customers.assign.quantity"), width: 160, render: (_: unknown, id: string) => (
                           <InputNumber min={1} max={count} precision={0} value={quantities[id]}
                                        aria-label={t("customers.assign.quantityOf", { name: name(id) })}
                                        onChange={(value) => onQuantity(id, value)} />) }] : []),
                         { title: t("common.actions"), width: 80, render: (_, id) => (
                           <Button type="text" icon={<DeleteOutlined />}
                                   aria-label={t("customers.assign.removeRep", { name: name(id) })}
                                   onClick={() => onChoose(chosen.filter((item) => item !== id))} />) },
                       ]} />
      )}
    </>
  );
}
