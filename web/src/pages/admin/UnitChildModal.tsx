import { Form, Input, Modal, Select } from "antd";
import { useFeedback } from "../../lib/feedback";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, newKey } from "../../api/client";
import type { Unit, UnitKind } from "../../api/types";
import { useT } from "../../i18n/I18nProvider";
import { useProblem } from "./problems";
import { UNIT_KINDS, canHold, useKindOptions } from "./unitKinds";

interface Values {
  name: string;
  kind: UnitKind;
}

function childKind(parent: UnitKind): UnitKind {
  return UNIT_KINDS[Math.min(UNIT_KINDS.indexOf(parent) + 1, UNIT_KINDS.length - 1)];
}

/** Add a unit under `parent` (one Idempotency-Key per opened form: a retry creates it once). */
export function UnitChildModal({ parent, onClose, onCreated }: {
  parent: Unit; onClose: () => void; onCreated: (unit: Unit) => void;
}) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const [key] = useState(newKey);
  const queryClient = useQueryClient();
  const problem = useProblem();
  const { message } = useFeedback();
  const kinds = useKindOptions().filter((option) => canHold(parent.kind, option.value));

  const create = useMutation({
    mutationFn: (values: Values) =>
      api.post<Unit>("/units", { ...values, parent_id: parent.id }, { idempotencyKey: key }),
    onSuccess: async (unit) => {
      void message.success(t("admin.created"));
      await queryClient.invalidateQueries({ queryKey: ["units"] });
      onCreated(unit);
    },
    onError: (error) => problem(error, { form, codeFields: { unit_name_exists: "name" } }),
  });

  return (
    <Modal open title={t("units.newChildOf", { name: parent.name })} onCancel={onClose}
           okText={t("common.save")} cancelText={t("common.close")} confirmLoading={create.isPending}
           onOk={() => form.submit()} destroyOnHidden>
      <Form<Values> form={form} name="unit-child" layout="vertical" initialValues={{ kind: childKind(parent.kind) }}
                    onFinish={(values) => create.mutate(values)}>
        <Form.Item name="name" label={t("admin.name")}
                   rules={[{ required: true, whitespace: true, message: t("admin.required", { field: t("admin.name") }) }]}>
          <Input maxLength={200} autoFocus />
        </Form.Item>
        <Form.Item name="kind" label={t("units.kind")}>
          <Select options={kinds} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
