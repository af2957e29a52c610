import { useMemo, useState } from "react";
import { Button, Popconfirm, Space, Table, Tag, Typography } from "antd";
import { useFeedback } from "../../lib/feedback";
import { ArrowDownOutlined, ArrowUpOutlined, PlusOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, api, request } from "../../api/client";
import type { CustomerAttribute } from "../../api/types";
import { useT } from "../../i18n/I18nProvider";
import { AdminPage } from "./AdminPage";
import { AttributeFormModal } from "./AttributeFormModal";
import { useProblem } from "./problems";
import { moveItem } from "./reorder";

/** Dữ liệu khách hàng (seed 004): the admin's customer attributes in display order. */
export default function AttributesPage() {
  const t = useT();
  const [editing, setEditing] = useState<CustomerAttribute | "new" | null>(null);
  const attributes = useQuery({
    queryKey: ["customer-attributes"],
    queryFn: ({ signal }) => api.get<CustomerAttribute[]>("/customer-attributes", undefined, signal),
  });
  const rows = useMemo(() => [...(attributes.data ?? [])].sort((a, b) => a.display_order - b.display_order),
                       [attributes.data]);
  const nextOrder = rows.length ? rows[rows.length - 1].display_order + 1 : 1;
  const queryClient = useQueryClient();
  const problem = useProblem();
  const { message, modal } = useFeedback();
  const reload = () => queryClient.invalidateQueries({ queryKey: ["customer-attributes"] });

  const move = useMutation({
    mutationFn: async ({ index, step }: { index: number; step: -1 | 1 }) => {
      for (const change of moveItem(rows, index, step)) {
        await api.patch(`/customer-attributes/${change.id}`, { display_order: change.display_order });
      }
    },
    onSettled: reload,
    onError: (error) => problem(error),
  });

  const remove = useMutation({
    mutationFn: ({ attribute, force }: { attribute: CustomerAttribute; force: boolean }) =>
      request<void>("DELETE", `/customer-attributes/${attribute.id}`, { query: force ? { force: true } : undefined }),
    onSuccess: () => {
      void message.success(t("admin.deleted"));
      void reload();
    },
    onError: (error, { attribute }) => {
      if (error instanceof ApiError && error.code === "attribute_in_use") {
        modal.confirm({
          title: t("attributes.inUseTitle"), content: error.detail, okText: t("attributes.forceDelete"),
          okButtonProps: { danger: true }, cancelText: t("common.cancel"),
          onOk: () => remove.mutateAsync({ attribute, force: true }).catch(() => undefined),
        });
      } else problem(error);
    },
  });

  return (
    <AdminPage id="attributes" title={t("attributes.title")}
               extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing("new")}>{t("attributes.add")}</Button>}>
      <Typography.Paragraph type="secondary">{t("attributes.intro")}</Typography.Paragraph>
      <Table<CustomerAttribute> rowKey="id" dataSource={rows} loading={attributes.isLoading} pagination={false}
                                scroll={{ x: "max-content" }}
                                columns={[
                                  { title: t("attributes.order"), dataIndex: "display_order", width: 90 },
                                  { title: t("attributes.name"), dataIndex: "name" },
                                  { title: t("admin.key"), dataIndex: "key", render: (key: string) => <Typography.Text code>{key}</Typography.Text> },
                                  { title: t("attributes.type"), dataIndex: "type", render: (type: CustomerAttribute["type"]) => t(`attributes.type.${type}`) },
                                  { title: t("attributes.options"), dataIndex: "options", render: (options: CustomerAttribute["options"]) =>
                                    options.slice(0, 5).map((option) => <Tag key={option.value}>{option.label}</Tag>) },
                                  { title: t("attributes.required"), dataIndex: "required", render: (on: boolean) => (on ? t("common.yes") : t("common.no")) },
                                  { title: t("common.actions"), key: "actions", render: (_, attribute, index) => (
                                    <Space wrap>
                                      <Button size="small" icon={<ArrowUpOutlined />} disabled={index === 0 || move.isPending}
                                              aria-label={`${t("admin.moveUp")} ${attribute.name}`}
                                              onClick={() => move.mutate({ index, step: -1 })} />
                                      <Button size="small" icon={<ArrowDownOutlined />} disabled={index === rows.length - 1 || move.isPending}
                                              aria-label={`${t("admin.moveDown")} ${attribute.name}`}
                                              onClick={() => move.mutate({ index, step: 1 })} />
                                      <Button size="small" onClick={() => setEditing(attribute)}
                                              aria-label={`${t("common.edit")} ${attribute.name}`}>{t("common.edit")}</Button>
                                      <Popconfirm title={t("admin.deleteConfirm")} okText={t("common.delete")} cancelText={t("common.cancel")}
                                                  okButtonProps={{ danger: true }}
                                                  onConfirm={() => remove.mutateAsync({ attribute, force: false }).catch(() => undefined)}>
                                        <Button size="small" danger aria-label={`${t("common.delete")} ${attribute.name}`}>{t("common.delete")}</Button>
                                      </Popconfirm>
                                    </Space>
                                  ) },
                                ]} />
      {editing && <AttributeFormModal attribute={editing === "new" ? undefined : editing} nextOrder={nextOrder}
                                      onClose={() => setEditing(null)} />}
    </AdminPage>
  );
}
