import { Alert, Button, Space, Table } from "antd";
import type { CustomerAttribute } from "../../../api/types";
import { useT } from "../../../i18n/I18nProvider";
import FieldValue from "./FieldValue";
import { FIELD_LABELS } from "./labels";
import type { FieldChange } from "./values";

interface Props {
  changes: FieldChange[];
  definitions: CustomerAttribute[];
  onReload: () => void;
  onOverwrite: () => void;
  busy: boolean;
}

/** 412: someone saved the customer meanwhile; show what they changed beside what the form holds. */
export default function ConflictAlert({ changes, definitions, onReload, onOverwrite, busy }: Props) {
  const t = useT();
  const fieldName = (path: string) => FIELD_LABELS[path] ? t(FIELD_LABELS[path])
    : definitions.find((item) => `attributes.${item.key}` === path)?.name ?? path;
  return (
    <Alert type="warning" showIcon style={{ marginBottom: 16 }} role="alert"
           title={t("customers.form.conflictTitle")}
           description={
             <>
               <p>{t("customers.form.conflictHint")}</p>
               {changes.length > 0 && (
                 <Table<FieldChange> size="small" rowKey="path" pagination={false} dataSource={changes}
                                     scroll={{ x: true }} style={{ marginBottom: 12 }}
                                     columns={[
                                       { title: t("customers.form.conflictField"), dataIndex: "path",
                                         render: (path: string) => fieldName(path) },
                                       { title: t("customers.form.conflictMine"), dataIndex: "mine",
                                         render: (value, row) => <FieldValue path={row.path} value={value} definitions={definitions} /> },
                                       { title: t("customers.form.conflictTheirs"), dataIndex: "theirs",
                                         render: (value, row) => <FieldValue path={row.path} value={value} definitions={definitions} /> },
                                     ]} />
               )}
               <Space wrap>
                 <Button type="primary" onClick={onReload} disabled={busy}>{t("customers.form.conflictReload")}</Button>
                 <Button onClick={onOverwrite} loading={busy}>{t("customers.form.conflictOverwrite")}</Button>
               </Space>
             </>
           } />
  );
}
