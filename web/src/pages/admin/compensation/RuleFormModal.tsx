import { useState } from "react";
import { Form, InputNumber, Modal, Select, Switch } from "antd";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, newKey } from "../../../api/client";
import { useI18n } from "../../../i18n/I18nProvider";
import { useFeedback } from "../../../lib/feedback";
import { outcomeName } from "../../compensation/logic";
import { useReasons } from "../../compensation/queries";
import { CALL_OUTCOMES } from "../../customers/interactions/types";
import { useProblem } from "../problems";
import { RULE_DECISIONS, RULE_KINDS, type Rule, type RuleDecision, type RuleKind } from "./types";

interface Values {
  reason_code: string;
  kind: RuleKind;
  min_calls?: number;
  outcome?: string;
  decision: RuleDecision;
  active: boolean;
  position: number;
}

function body({ min_calls, outcome, ...values }: Values) {
  return { ...values, params: values.kind === "min_calls_with_outcome" ? { min_calls, outcome } : {} };
}

/** Thêm / sửa quy tắc: the kind's own parameters only (calls and their outcome for "đủ số cuộc gọi"). */
export function RuleFormModal({ rule, nextPosition, onClose }: { rule?: Rule; nextPosition: number; onClose: () => void }) {
  const { t, language } = useI18n();
  const [form] = Form.useForm<Values>();
  const [idempotencyKey] = useState(newKey);
  const kind = Form.useWatch("kind", form);
  const reasons = useReasons();
  const queryClient = useQueryClient();
  const problem = useProblem();
  const { message } = useFeedback();
  const save = useMutation({
    mutationFn: (values: Values) => (rule
      ? api.patch<Rule>(`/compensation-rules/${rule.id}`, body(values), rule.version)
      : api.post<Rule>("/compensation-rules", body(values), { idempotencyKey })),
    onSuccess: () => {
      void message.success(rule ? t("admin.saved") : t("admin.created"));
      void queryClient.invalidateQueries({ queryKey: ["compensation-rules"] });
      onClose();
    },
    onError: (error) => problem(error, {
      form,
      reload: () => {
        void queryClient.invalidateQueries({ queryKey: ["compensation-rules"] });
        onClose();
      },
    }),
  });
  const required = (label: string) => ({ required: true, message: t("admin.required", { field: label }) });
  const known = new Set((reasons.data ?? []).map((reason) => reason.code));
  const reasonOptions = [
    ...(reasons.data ?? []).filter((reason) => reason.active || reason.code === rule?.reason_code)
      .map((reason) => ({ value: reason.code, label: language === "en" ? reason.name_en : reason.name_vi })),
    ...(rule && !known.has(rule.reason_code) ? [{ value: rule.reason_code, label: rule.reason_code }] : []),
  ];
  const outcomes: string[] = [...CALL_OUTCOMES];
  if (rule?.params.outcome && !outcomes.includes(rule.params.outcome)) outcomes.push(rule.params.outcome);
  const initial: Partial<Values> = rule
    ? { reason_code: rule.reason_code, kind: rule.kind, min_calls: rule.params.min_calls ?? undefined,
        outcome: rule.params.outcome ?? undefined, decision: rule.decision, active: rule.active, position: rule.position }
    : { kind: "min_calls_with_outcome", min_calls: 3, decision: "approved", active: true, position: nextPosition };

  return (
    <Modal open title={rule ? t("compAdmin.editRule") : t("compAdmin.addRule")} onCancel={onClose}
           okText={t("common.save")} cancelText={t("common.close")} confirmLoading={save.isPending}
           onOk={() => form.submit()} destroyOnHidden>
      <Form<Values> form={form} name="compensation-rule" layout="vertical" initialValues={initial}
                    onFinish={(values) => save.mutate(values)}>
        <Form.Item name="reason_code" label={t("compAdmin.reason")} rules={[required(t("compAdmin.reason"))]}>
          <Select options={reasonOptions} loading={reasons.isLoading} showSearch={{ optionFilterProp: "label" }} />
        </Form.Item>
        <Form.Item name="kind" label={t("compAdmin.kind")}>
          <Select options={RULE_KINDS.map((value) => ({ value, label: t(`compAdmin.kind.${value}`) }))} />
        </Form.Item>
        {kind === "min_calls_with_outcome" && (
          <>
            <Form.Item name="min_calls" label={t("compAdmin.minCalls")} rules={[required(t("compAdmin.minCalls"))]}>
              <InputNumber min={1} max={100} precision={0} style={{ width: 160 }} />
            </Form.Item>
            <Form.Item name="outcome" label={t("compAdmin.outcome")} rules={[required(t("compAdmin.outcome"))]}>
              <Select options={outcomes.map((value) => ({ value, label: outcomeName(value, t) }))} />
            </Form.Item>
          </>
        )}
        <Form.Item name="decision" label={t("compAdmin.decision")}>
          <Select options={RULE_DECISIONS.map((value) => ({ value, label: t(`comp.status.${value}`) }))} />
        </Form.Item>
        <Form.Item name="position" label={t("compAdmin.position")} extra={t("compAdmin.positionHelp")}
                   rules={[required(t("compAdmin.position"))]}>
          <InputNumber min={0} max={10000} precision={0} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="active" label={t("compAdmin.active")} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}
