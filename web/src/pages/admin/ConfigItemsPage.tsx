import { useMemo, useState } from "react";
import { Button, Form, Input, InputNumber, Modal, Popconfirm, Space, Table, Typography } from "antd";
import { useFeedback } from "../../lib/feedback";
import { PlusOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, newKey } from "../../api/client";
import { useT } from "../../i18n/I18nProvider";
import type { MessageKey } from "../../i18n/messages";
import { AdminPage } from "./AdminPage";
import { useProblem } from "./problems";

type FieldName = "name" | "name_en" | "key" | "category" | "position" | "description";

/** One kind of configuration list of the customers service (statuses, labels, groups). */
export interface ConfigKind {
  id: string;
  path: string;
  title: MessageKey;
  add: MessageKey;
  nameLabel: MessageKey;
  nameRequired?: MessageKey;
  /** the form's fields besides the name, in order; `key` is asked only when creating */
  fields: FieldName[];
  /** fields that must be filled */
  required?: FieldName[];
}

type Item = { id: string; name: string } & Partial<Record<FieldName, string | number | null>>;

const LABELS: Record<FieldName, MessageKey> = {
  name: "admin.name", name_en: "admin.nameEn", key: "admin.key", category: "admin.category",
  position: "admin.position", description: "admin.description",
};

/** Trạng thái, Nhãn, Nhóm khách hàng: list, add, edit, delete (409 in_use says why not). */
export function ConfigItemsPage({ kind }: { kind: ConfigKind }) {
  const t = useT();
  const [editing, setEditing] = useState<Item | "new" | null>(null);
  const queryKey = [kind.path.slice(1)];
  const items = useQuery({ queryKey, queryFn: ({ signal }) => api.get<Item[]>(kind.path, undefined, signal) });
  const rows = useMemo(() => [...(items.data ?? [])].sort((a, b) => Number(a.position ?? 0) - Number(b.position ?? 0)),
                       [items.data]);
  const queryClient = useQueryClient();
  const problem = useProblem();
  const { message } = useFeedback();
  const remove = useMutation({
    mutationFn: (item: Item) => api.delete(`${kind.path}/${item.id}`),
    onSuccess: () => {
      void message.success(t("admin.deleted"));
      void queryClient.invalidateQueries({ queryKey });
    },
    onError: (error) => problem(error),
  });
  const shown = kind.fields.filter((field) => field !== "key" || kind.id !== "groups");

  return (
    <AdminPage id={kind.id} title={t(kind.title)}
               extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing("new")}>{t(kind.add)}</Button>}>
      <Table<Item> rowKey="id" dataSource={rows} loading={items.isLoading} pagination={false} scroll={{ x: "max-content" }}
                   columns={[
                     { title: t(kind.nameLabel), dataIndex: "name", render: (name: string) => <Typography.Text strong>{name}</Typography.Text> },
                     ...shown.map((field) => ({
                       title: t(LABELS[field]), dataIndex: field,
                       render: (value: unknown) => (field === "key" ? <Typography.Text code>{String(value ?? "")}</Typography.Text> : String(value ?? "")),
                     })),
                     { title: t("common.actions"), key: "actions", render: (_: unknown, item: Item) => (
                       <Space wrap>
                         <Button size="small" onClick={() => setEditing(item)} aria-label={`${t("common.edit")} ${item.name}`}>{t("common.edit")}</Button>
                         <Popconfirm title={t("admin.deleteConfirm")} okText={t("common.delete")} cancelText={t("common.cancel")}
                                     okButtonProps={{ danger: true }} onConfirm={() => remove.mutateAsync(item).catch(() => undefined)}>
                           <Button size="small" danger aria-label={`${t("common.delete")} ${item.name}`}>{t("common.delete")}</Button>
                         </Popconfirm>
                       </Space>
                     ) },
                   ]} />
      {editing && <ConfigItemModal kind={kind} item={editing === "new" ? undefined : editing} onClose={() => setEditing(null)} />}
    </AdminPage>
  );
}

function ConfigItemModal({ kind, item, onClose }: { kind: ConfigKind; item?: Item; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<Record<string, unknown>>();
  const [idempotencyKey] = useState(newKey);
  const queryClient = useQueryClient();
  const problem = useProblem();
  const { message } = useFeedback();
  const fields = kind.fields.filter((field) => field !== "key" || !item);

  const save = useMutation({
    mutationFn: (values: Record<string, unknown>) => {
      const body = Object.fromEntries(Object.entries(values).map(([name, value]) => [name, value === "" ? null : value]));
      return item ? api.patch(`${kind.path}/${item.id}`, body) : api.post(kind.path, body, { idempotencyKey });
    },
    onSuccess: () => {
      void message.success(item ? t("admin.saved") : t("admin.created"));
      void queryClient.invalidateQueries({ queryKey: [kind.path.slice(1)] });
      onClose();
    },
    onError: (error) => problem(error, { form, codeFields: { name_exists: "name", key_exists: "key" } }),
  });
  const rules = (field: FieldName, label: MessageKey) =>
    field === "name" || kind.required?.includes(field)
      ? [{ required: true, whitespace: true,
           message: field === "name" && kind.nameRequired ? t(kind.nameRequired) : t("admin.required", { field: t(label) }) }]
      : [];

  return (
    <Modal open title={item ? t("config.edit", { name: item.name }) : t(kind.add)} onCancel={onClose}
           okText={t("common.save")} cancelText={t("common.close")} confirmLoading={save.isPending}
           onOk={() => form.submit()} destroyOnHidden>
      <Form form={form} name="config-item" layout="vertical" initialValues={item ?? { position: 0 }} onFinish={(values) => save.mutate(values)}>
        <Form.Item name="name" label={t(kind.nameLabel)} rules={rules("name", kind.nameLabel)}>
          <Input maxLength={200} />
        </Form.Item>
        {fields.map((field) => (
          <Form.Item key={field} name={field} label={t(LABELS[field])} rules={rules(field, LABELS[field])}
                     extra={field === "key" ? t("admin.keyHelp") : undefined}>
            {field === "position" ? <InputNumber precision={0} style={{ width: 160 }} />
              : field === "description" ? <Input.TextArea rows={3} maxLength={2000} />
              : <Input maxLength={100} />}
          </Form.Item>
        ))}
      </Form>
    </Modal>
  );
}
