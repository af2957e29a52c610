import { useMemo, useState } from "react";
import { Badge, Button, Flex, Input, Popconfirm, Space, Switch, Table, Tag, Typography } from "antd";
import { useFeedback } from "../../lib/feedback";
import { PlusOutlined } from "@ant-design/icons";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { api, type Page } from "../../api/client";
import type { User } from "../../api/types";
import { useT } from "../../i18n/I18nProvider";
import { AdminPage } from "./AdminPage";
import { useProblem } from "./problems";
import { unitTrail } from "./unitTree";
import { UnitPicker } from "./UnitPicker";
import { UserFormModal } from "./UserFormModal";
import { useUnits } from "./useUnits";

/** Người dùng: find, create, move, re-role, deactivate and reactivate accounts. */
export default function UsersPage() {
  const t = useT();
  const [q, setQ] = useState("");
  const [unitId, setUnitId] = useState<string | undefined>();
  const [withInactive, setWithInactive] = useState(false);
  const [editing, setEditing] = useState<User | "new" | null>(null);
  const units = useUnits();
  const unitById = useMemo(() => new Map((units.data ?? []).map((unit) => [unit.id, unit])), [units.data]);
  const params = { q, unit_id: unitId, active: withInactive ? undefined : true };
  const users = useInfiniteQuery({
    queryKey: ["users", params],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<User>>("/users", { ...params, cursor: pageParam, limit: 50 }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const rows = users.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <AdminPage id="users" title={t("users.title")}
               extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing("new")}>{t("users.create")}</Button>}>
      <Flex wrap gap={8} align="center" style={{ marginBottom: 12 }}>
        <Input.Search aria-label={t("common.search")} placeholder={t("users.searchPlaceholder")} allowClear
                      onSearch={setQ} style={{ maxWidth: 320 }} />
        <Space>
          <label htmlFor="users-unit">{t("users.filterUnit")}</label>
          <div style={{ minWidth: 240 }}>
            <UnitPicker id="users-unit" units={units.data ?? []} value={unitId} onChange={setUnitId} allowClear />
          </div>
        </Space>
        <Space>
          <Switch id="users-inactive" checked={withInactive} onChange={setWithInactive} />
          <label htmlFor="users-inactive">{t("users.showInactive")}</label>
        </Space>
      </Flex>
      <Table<User> rowKey="id" dataSource={rows} loading={users.isLoading} pagination={false} scroll={{ x: "max-content" }}
                   columns={[
                     { title: t("users.fullName"), dataIndex: "full_name", render: (name: string, user) => (
                       <span>
                         <Typography.Text strong>{name}</Typography.Text><br />
                         <Typography.Text type="secondary">{user.username}</Typography.Text>
                       </span>
                     ) },
                     { title: t("users.unit"), dataIndex: "unit_id", render: (id: string) => unitTrail(unitById, id) },
                     { title: t("users.roles"), dataIndex: "roles", render: (roles: User["roles"]) =>
                       roles.map((role) => <Tag key={role}>{t(`role.${role}`)}</Tag>) },
                     { title: t("admin.status"), dataIndex: "active", render: (active: boolean) =>
                       <Badge status={active ? "success" : "default"} text={active ? t("admin.active") : t("admin.inactive")} /> },
                     { title: t("common.actions"), key: "actions", render: (_, user) => <UserActions user={user} onEdit={() => setEditing(user)} /> },
                   ]} />
      {users.hasNextPage && (
        <Button onClick={() => void users.fetchNextPage()} loading={users.isFetchingNextPage} style={{ marginTop: 12 }}>
          {t("common.loadMore")}
        </Button>
      )}
      {editing && <UserFormModal user={editing === "new" ? undefined : editing} units={units.data ?? []}
                                 onClose={() => setEditing(null)} />}
    </AdminPage>
  );
}

function UserActions({ user, onEdit }: { user: User; onEdit: () => void }) {
  const t = useT();
  const queryClient = useQueryClient();
  const problem = useProblem();
  const { message } = useFeedback();
  const reload = () => void queryClient.invalidateQueries({ queryKey: ["users"] });
  const toggle = useMutation({
    mutationFn: () => api.patch<User>(`/users/${user.id}`, { active: !user.active }, user.version),
    onSuccess: (saved) => {
      void message.success(saved.active ? t("users.reactivated") : t("users.deactivated"));
      reload();
    },
    onError: (error) => problem(error, { reload }),
  });
  return (
    <Space wrap>
      <Button size="small" onClick={onEdit} aria-label={`${t("common.edit")} ${user.username}`}>{t("common.edit")}</Button>
      {user.active ? (
        <Popconfirm title={t("users.deactivateConfirm", { name: user.username })} okText={t("common.confirm")}
                    cancelText={t("common.cancel")} onConfirm={() => toggle.mutateAsync().catch(() => undefined)}>
          <Button size="small" danger loading={toggle.isPending}
                  aria-label={`${t("users.deactivate")} ${user.username}`}>{t("users.deactivate")}</Button>
        </Popconfirm>
      ) : (
        <Button size="small" loading={toggle.isPending} onClick={() => toggle.mutate()}
                aria-label={`${t("users.reactivate")} ${user.username}`}>{t("users.reactivate")}</Button>
      )}
    </Space>
  );
}
