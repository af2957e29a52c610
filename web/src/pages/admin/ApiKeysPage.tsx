import { useState } from "react";
import { Badge, Button, Checkbox, Form, Input, InputNumber, Modal, Popconfirm, Space, Switch, Table, Tag } from "antd";
import { useFeedback } from "../../lib/feedback";
import { PlusOutlined } from "@ant-design/icons";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { api, type Page } from "../../api/client";
import type { ApiKey, ApiKeyCreated } from "../../api/types";
import { useT } from "../../i18n/I18nProvider";
import type { MessageKey } from "../../i18n/messages";
import { formatDateTime } from "../../lib/format";
import { AdminPage } from "./AdminPage";
import { ApiKeySecretModal } from "./ApiKeySecretModal";
import { useProblem } from "./problems";
import { UnitPicker } from "./UnitPicker";
import { useUnits } from "./useUnits";

/** The permissions an API key may carry (the API's ApiKeyCreate.permissions enum). */
export const API_KEY_PERMISSIONS = ["calls.write", "customers.read", "customers.write", "identity.read"] as const;

/** Khóa API: keys of integrations; the secret is shown once, at creation. */
export default function ApiKeysPage() {
  const t = useT();
  const [withRevoked, setWithRevoked] = useState(false);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<ApiKeyCreated | null>(null);
  const keys = useInfiniteQuery({
    queryKey: ["api-keys", { withRevoked }],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<ApiKey>>("/api-keys", { include_revoked: withRevoked, cursor: pageParam, limit: 100 }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const rows = keys.data?.pages.flatMap((page) => page.items) ?? [];
  const permission = (name: string) => t(`apiKeys.perm.${name}` as MessageKey);

  return (
    <AdminPage id="api-keys" title={t("apiKeys.title")}
               extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>{t("apiKeys.add")}</Button>}>
      <Space style={{ marginBottom: 12 }}>
        <Switch id="keys-revoked" checked={withRevoked} onChange={setWithRevoked} />
        <label htmlFor="keys-revoked">{t("apiKeys.showRevoked")}</label>
      </Space>
      <Table<ApiKey> rowKey="id" dataSource={rows} loading={keys.isLoading} pagination={false} scroll={{ x: "max-content" }}
                     columns={[
                       { title: t("apiKeys.name"), dataIndex: "name" },
                       { title: t("apiKeys.prefix"), dataIndex: "prefix", render: (prefix: string) => <code>{prefix}…</code> },
                       { title: t("apiKeys.permissions"), dataIndex: "permissions", render: (names: string[]) =>
                         names.map((name) => <Tag key={name}>{permission(name)}</Tag>) },
                       { title: t("apiKeys.rateLimit"), dataIndex: "rate_limit_per_minute", render: (n: number | null) => n ?? "—" },
                       { title: t("admin.createdAt"), dataIndex: "created_at", render: formatDateTime },
                       { title: t("apiKeys.lastUsed"), dataIndex: "last_used_at", render: formatDateTime },
                       { title: t("admin.status"), key: "status", render: (_, key) => key.revoked_at
                         ? <Tag>{t("apiKeys.revoked")} {formatDateTime(key.revoked_at)}</Tag>
                         : <Badge status="success" text={t("admin.active")} /> },
                       { title: t("common.actions"), key: "actions", render: (_, key) => !key.revoked_at && <RevokeButton apiKey={key} /> },
                     ]} />
      {keys.hasNextPage && (
        <Button onClick={() => void keys.fetchNextPage()} loading={keys.isFetchingNextPage} style={{ marginTop: 12 }}>
          {t("common.loadMore")}
        </Button>
      )}
      {creating && <ApiKeyCreateModal onClose={() => setCreating(false)}
                                      onCreated={(key) => { setCreating(false); setCreated(key); }} />}
      {created && <ApiKeySecretModal apiKey={created} onClose={() => setCreated(null)} />}
    </AdminPage>
  );
}

function RevokeButton({ apiKey }: { apiKey: ApiKey }) {
  const t = useT();
  const queryClient = useQueryClient();
  const problem = useProblem();
  const { message } = useFeedback();
  const revoke = useMutation({
    mutationFn: () => api.delete(`/api-keys/${apiKey.id}`),
    onSuccess: () => {
      void message.success(t("apiKeys.revokedDone"));
      void queryClient.invalidateQueries({ queryKey: ["api-keys"] });
    },
    onError: (error) => problem(error),
  });
  return (
    <Popconfirm title={t("apiKeys.revokeConfirm", { name: apiKey.name })} okText={t("apiKeys.revoke")}
                cancelText={t("common.cancel")} okButtonProps={{ danger: true }}
                onConfirm={() => revoke.mutateAsync().catch(() => undefined)}>
      <Button size="small" danger loading={revoke.isPending} aria-label={`${t("apiKeys.revoke")} ${apiKey.name}`}>
        {t("apiKeys.revoke")}
      </Button>
    </Popconfirm>
  );
}

interface Values {
  name: string;
  permissions: string[];
  rate_limit_per_minute?: number | null;
  unit_id?: string;
}

function ApiKeyCreateModal({ onClose, onCreated }: { onClose: () => void; onCreated: (key: ApiKeyCreated) => void }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const units = useUnits();
  const queryClient = useQueryClient();
  const problem = useProblem();
  // no Idempotency-Key: the API does not replay this answer (it would have to keep the secret)
  const create = useMutation({
    mutationFn: (values: Values) => api.post<ApiKeyCreated>("/api-keys", {
      ...values, rate_limit_per_minute: values.rate_limit_per_minute ?? null, unit_id: values.unit_id ?? null,
    }),
    onSuccess: (key) => {
      void queryClient.invalidateQueries({ queryKey: ["api-keys"] });
      onCreated(key);
    },
    onError: (error) => problem(error, { form, codeFields: { username_exists: "name" } }),
  });
  return (
    <Modal open title={t("apiKeys.add")} onCancel={onClose} okText={t("common.save")} cancelText={t("common.close")}
           confirmLoading={create.isPending} onOk={() => form.submit()} destroyOnHidden>
      <Form<Values> form={form} name="api-key" layout="vertical" initialValues={{ permissions: ["customers.read"] }}
                    onFinish={(values) => create.mutate(values)}>
        <Form.Item name="name" label={t("apiKeys.name")}
                   rules={[{ required: true, whitespace: true, message: t("admin.required", { field: t("apiKeys.name") }) }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="permissions" label={t("apiKeys.permissions")}>
          <Checkbox.Group options={API_KEY_PERMISSIONS.map((name) => ({ value: name, label: t(`apiKeys.perm.${name}`) }))}
                          style={{ display: "grid", gap: 4 }} />
        </Form.Item>
        <Form.Item name="rate_limit_per_minute" label={t("apiKeys.rateLimit")} extra={t("apiKeys.rateLimitHelp")}>
          <InputNumber min={1} max={100000} precision={0} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="unit_id" label={t("apiKeys.unit")}>
          <UnitPicker units={units.data ?? []} allowClear />
        </Form.Item>
      </Form>
    </Modal>
  );
}
