import { useCallback } from "react";
import { Button, Form, Input, Select, Space } from "antd";
import { useFeedback } from "../../lib/feedback";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import type { Unit, UnitKind } from "../../api/types";
import { useT } from "../../i18n/I18nProvider";
import { useProblem } from "./problems";
import { UnitPicker } from "./UnitPicker";
import { canHold, useKindOptions } from "./unitKinds";

interface Values {
  name: string;
  kind: UnitKind;
  parent_id: string | null;
}

/** Rename, re-level or move a unit (PATCH with If-Match: the version read). */
export function UnitEditForm({ unit, units }: { unit: Unit; units: Unit[] }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const queryClient = useQueryClient();
  const problem = useProblem();
  const { message } = useFeedback();
  const kinds = useKindOptions();
  const kind = Form.useWatch("kind", form) ?? unit.kind;
  const refuse = useCallback((parent: Unit) => !canHold(parent.kind, kind), [kind]);
  const reload = () => void queryClient.invalidateQueries({ queryKey: ["units"] });

  const save = useMutation({
    mutationFn: (values: Values) => {
      const changes: Partial<Values> = {};
      if (values.name !== unit.name) changes.name = values.name;
      if (values.kind !== unit.kind) changes.kind = values.kind;
      if ((values.parent_id ?? null) !== unit.parent_id) changes.parent_id = values.parent_id;
      return api.patch<Unit>(`/units/${unit.id}`, changes, unit.version);
    },
    onSuccess: () => {
      void message.success(t("admin.saved"));
      reload();
    },
    onError: (error) => problem(error, { form, reload }),
  });

  return (
    <Form<Values> form={form} name="unit" layout="vertical" initialValues={unit} onFinish={(values) => save.mutate(values)}>
      <Form.Item name="name" label={t("admin.name")}
                 rules={[{ required: true, whitespace: true, message: t("admin.required", { field: t("admin.name") }) }]}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="kind" label={t("units.kind")}>
        <Select options={kinds} />
      </Form.Item>
      {unit.parent_id && (
        <Form.Item name="parent_id" label={t("units.parent")}>
          <UnitPicker units={units} excludeSubtreeOf={unit.id} refuse={refuse} />
        </Form.Item>
      )}
      <Space>
        <Button type="primary" htmlType="submit" loading={save.isPending}>{t("common.save")}</Button>
        <Button onClick={() => form.resetFields()}>{t("common.cancel")}</Button>
      </Space>
    </Form>
  );
}
