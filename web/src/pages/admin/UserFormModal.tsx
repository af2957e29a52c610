import { Checkbox, Form, Input, Modal } from "antd";
import { useFeedback } from "../../lib/feedback";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, newKey } from "../../api/client";
import type { Role, Unit, User } from "../../api/types";
import { useT } from "../../i18n/I18nProvider";
import { useProblem } from "./problems";
import { UnitPicker } from "./UnitPicker";

export const ROLES: Role[] = ["admin", "manager", "sales", "reviewer", "integrator"];

interface Values {
  username: string;
  full_name: string;
  password?: string;
  email?: string;
  phone?: string;
  unit_id: string;
  roles: Role[];
}

function changes(user: User, values: Values): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  if (values.full_name !== user.full_name) patch.full_name = values.full_name;
  if ((values.email || null) !== user.email) patch.email = values.email || null;
  if ((values.phone || null) !== user.phone) patch.phone = values.phone || null;
  if (values.unit_id !== user.unit_id) patch.unit_id = values.unit_id;
  if ([...values.roles].sort().join() !== [...user.roles].sort().join()) patch.roles = values.roles;
  if (values.password) patch.password = values.password;
  return patch;
}

/** Create a user (with unit and roles), or change one: move to another unit, re-role, reset the password. */
export function UserFormModal({ user, units, onClose }: { user?: User; units: Unit[]; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const [key] = useState(newKey);
  const queryClient = useQueryClient();
  const problem = useProblem();
  const { message } = useFeedback();
  const reload = () => void queryClient.invalidateQueries({ queryKey: ["users"] });

  const save = useMutation({
    mutationFn: (values: Values) => user
      ? api.patch<User>(`/users/${user.id}`, changes(user, values), user.version)
      : api.post<User>("/users", { ...values, email: values.email || null, phone: values.phone || null },
                       { idempotencyKey: key }),
    onSuccess: () => {
      void message.success(user ? t("admin.saved") : t("admin.created"));
      reload();
      onClose();
    },
    onError: (error) => problem(error, { form, codeFields: { username_exists: "username" }, reload }),
  });
  const required = (field: string) => ({ required: true, whitespace: true, message: t("admin.required", { field }) });

  return (
    <Modal open title={user ? t("users.edit", { name: user.username }) : t("users.create")} onCancel={onClose}
           okText={t("common.save")} cancelText={t("common.close")} confirmLoading={save.isPending}
           onOk={() => form.submit()} destroyOnHidden>
      <Form<Values> form={form} name="user" layout="vertical" onFinish={(values) => save.mutate(values)}
                    initialValues={user ? { ...user, email: user.email ?? "", phone: user.phone ?? "" } : { roles: [] }}>
        {!user && (
          <Form.Item name="username" label={t("users.username")} rules={[required(t("users.username"))]}>
            <Input maxLength={64} autoComplete="off" />
          </Form.Item>
        )}
        <Form.Item name="full_name" label={t("users.fullName")} rules={[required(t("users.fullName"))]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="password" label={user ? t("users.newPassword") : t("users.password")}
                   rules={user ? [] : [required(t("users.password"))]}>
          <Input.Password maxLength={128} autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="email" label={t("users.email")}>
          <Input maxLength={254} type="email" />
        </Form.Item>
        <Form.Item name="phone" label={t("users.phone")}>
          <Input maxLength={32} />
        </Form.Item>
        <Form.Item name="unit_id" label={t("users.unit")} rules={[{ required: true, message: t("admin.required", { field: t("users.unit") }) }]}>
          <UnitPicker units={units} />
        </Form.Item>
        <Form.Item name="roles" label={t("users.roles")} rules={[{ required: true, message: t("admin.required", { field: t("users.roles") }) }]}>
          <Checkbox.Group options={ROLES.map((role) => ({ value: role, label: t(`role.${role}`) }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
