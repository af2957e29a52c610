import { useEffect, useRef, useState } from "react";
import { Alert, Button, Checkbox, Flex, Form, Input, InputNumber, Modal, Select, Typography } from "antd";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, ApiError, newKey } from "../../../api/client";
import { useFeedback } from "../../../lib/feedback";
import { useT } from "../../../i18n/I18nProvider";
import type { MessageKey } from "../../../i18n/messages";
import { STRATEGIES, type DistributionResult, type RosterRow } from "../../work/assignment/types";
import { AssignJobFields } from "./AssignJobFields";
import { AssignReps } from "./AssignReps";
import { AssignResult } from "./AssignResult";
import { distributionBody, readyToSend, type AssignTarget, type Method } from "./distribution";
import { evenSplit } from "./filters";

interface Props {
  open: boolean;
  /** the ticked customers or the list's filter (null while they are being collected) */
  target: AssignTarget | null;
  /** how many customers that is (the list's count for a filter) */
  count: number;
  onClose: () => void;
  onDone: () => void;
}

interface Values {
  jobMode: "existing" | "new";
  job_id?: string;
  content?: string;
  type?: string;
  target?: string;
  sla_minutes?: number | null;
  warn_before_minutes?: number | null;
  text: string;
  method: Method;
  direct: boolean;
  recall_first: boolean;
  accept_within: number | null;
  accept_unit: "hours" | "minutes";
}

const METHODS: Method[] = ["quantities", ...STRATEGIES];

/** The answer says more than "done" when a filter chose the customers or some were not covered. */
function worthReporting(result: DistributionResult, byFilter: boolean): boolean {
  return byFilter || Boolean(result.uncovered?.count) || Boolean(result.fallback);
}

/** Seed 004's "Giao sale chăm sóc" (seed 001's "Chia lead": phương thức, người chăm sóc, thời gian, ghi
 * chú): a job picked or created, the text, the active reps with a quantity each that must add up to the
 * customers or a strategy, "Giao trực tiếp không cần sale xác nhận" or an answer time; then what the
 * service did. */
export function AssignDialog({ open, target, count, onClose, onDone }: Props) {
  const t = useT();
  const queryClient = useQueryClient();
  const { message } = useFeedback();
  const [form] = Form.useForm<Values>();
  const method = (Form.useWatch("method", form) ?? "quantities") as Method;
  const direct = Form.useWatch("direct", form) as boolean | undefined;
  const unit = Form.useWatch("accept_unit", form) as Values["accept_unit"] | undefined;
  const [chosen, setChosen] = useState<string[]>([]);
  const [quantities, setQuantities] = useState<Record<string, number | null>>({});
  const [tried, setTried] = useState(false);
  const byFilter = target !== null && "filter" in target;

  const roster = useQuery({ queryKey: ["roster"], queryFn: () => api.get<RosterRow[]>("/roster"), enabled: open });
  const distribute = useMutation({
    mutationFn: (body: object) => api.post<DistributionResult>("/assignments", body, { idempotencyKey: newKey() }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ["customers"] });
      void queryClient.invalidateQueries({ queryKey: ["assignments"] });
      void queryClient.invalidateQueries({ queryKey: ["jobs"] });
      void queryClient.invalidateQueries({ queryKey: ["roster"] });
    },
  });

  // The form starts afresh when the dialog opens; a count that changes while it is open (the list's
  // total arriving or refreshed) only updates the prefilled text, never the choices made since.
  const initialised = useRef(false);
  useEffect(() => {
    if (!open) {
      initialised.current = false;
      return;
    }
    const text = t("customers.assign.textDefault", { count });
    if (initialised.current) {
      if (!form.isFieldTouched("text")) form.setFieldsValue({ text });
      return;
    }
    initialised.current = true;
    form.setFieldsValue({ jobMode: "existing", text, direct: false,
                          recall_first: false, method: "quantities", accept_within: 24, accept_unit: "hours" });
    setChosen([]);
    setQuantities({});
    setTried(false);
    distribute.reset();
  }, [open, count, form, t]);

  const check = readyToSend({ method, reps: chosen, quantities }, count);
  const choose = (next: string[]) => {
    const split = evenSplit(count, next.length);
    setChosen(next);
    setQuantities(Object.fromEntries(next.map((id, index) => [id, split[index]])));
  };

  const submit = async (values: Values) => {
    setTried(true);
    if (!target || !check.ok) return;
    const job = values.jobMode === "new"
      ? { job: { content: values.content ?? "", type: values.type ?? "", target: values.target,
                 sla_minutes: values.sla_minutes, warn_before_minutes: values.warn_before_minutes } }
      : { job_id: values.job_id ?? "" };
    const made = await distribute.mutateAsync(distributionBody(target, {
      job, text: values.text, method: values.method, reps: chosen, quantities, direct: values.direct,
      recallFirst: values.recall_first, acceptWithin: { value: values.accept_within, unit: values.accept_unit },
    })).catch(() => null);
    if (made && !worthReporting(made, byFilter)) {
      void message.success(t("customers.assign.done", { count: made.assigned ?? count }));
      onDone();
    }
  };

  const result = distribute.data;
  if (result && worthReporting(result, byFilter)) {
    return (
      <Modal open={open} title={t("customers.assign.title", { count })} onCancel={onDone} width={560}
             footer={<Button type="primary" onClick={onDone}>{t("customers.assign.close")}</Button>}>
        <AssignResult result={result} count={count} />
      </Modal>
    );
  }

  return (
    <Modal open={open} title={t("customers.assign.title", { count })} onCancel={onClose} width={760}
           onOk={() => { setTried(true); form.submit(); }} okText={t("customers.assign.submit")}
           cancelText={t("common.cancel")} confirmLoading={distribute.isPending || target === null} destroyOnHidden>
      {byFilter && (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} data-testid="assign-matching"
               title={t("customers.assign.allMatching", { count })} description={t("customers.assign.allMatchingHint")} />
      )}
      {distribute.error && <Alert type="error" showIcon style={{ marginBottom: 12 }}
                                  title={distribute.error instanceof ApiError ? distribute.error.detail
                                    : t("common.error")} />}
      <Form form={form} layout="vertical" onFinish={submit}>
        <AssignJobFields open={open} />
        <Form.Item name="text" label={t("customers.assign.text")} rules={[{ required: true, whitespace: true,
                                                                           message: t("customers.assign.textRequired") }]}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.Item name="method" label={t("customers.assign.method")}
                   extra={method === "by_unit" || method === "by_province"
                     ? t(`customers.assign.methodHint.${method}` as MessageKey)
                     : method !== "quantities" ? t("customers.assign.methodHint.strategy", { count }) : undefined}>
          <Select options={METHODS.map((value) => ({ value, label: t(`customers.assign.method.${value}` as MessageKey) }))} />
        </Form.Item>
        <AssignReps roster={roster.data} loading={roster.isLoading} chosen={chosen} onChoose={choose} count={count}
                    quantities={method === "quantities" ? quantities : null}
                    onQuantity={(id, value) => setQuantities({ ...quantities, [id]: value })} />
        {method === "quantities" && (
          <Typography.Paragraph strong data-testid="assign-sum"
                                style={{ marginTop: 8, color: check.ok ? "#135200" : undefined /* antd's green: 3.6:1 */ }}>
            {t("customers.assign.sum", { sum: check.sum, count })}
          </Typography.Paragraph>
        )}
        {tried && !check.ok && (
          <Alert type="error" showIcon style={{ margin: "8px 0 12px" }}
                 title={chosen.length === 0 ? t("customers.assign.repsRequired")
                   : t("customers.assign.sumMismatch", { count, sum: check.sum })} />
        )}
        <Form.Item name="direct" valuePropName="checked" style={{ margin: "12px 0 4px" }}>
          <Checkbox>{t("customers.assign.direct")}</Checkbox>
        </Form.Item>
        {!direct && (
          <Form.Item label={t("customers.assign.acceptWithin")} style={{ marginBottom: 4 }}>
            <Flex gap={8}>
              <Form.Item name="accept_within" noStyle
                         rules={[{ validator: (_, value: number | null) => unit === "minutes" && value !== null && value < 5
                           ? Promise.reject(new Error(t("customers.assign.minutesMin"))) : Promise.resolve() }]}>
                <InputNumber min={1} max={unit === "minutes" ? 10_080 : 720} precision={0}
                             aria-label={t("customers.assign.acceptWithinValue")} />
              </Form.Item>
              <Form.Item name="accept_unit" noStyle>
                <Select aria-label={t("customers.assign.acceptUnit")} style={{ width: 100 }} options={[
                  { value: "hours", label: t("customers.assign.hours") },
                  { value: "minutes", label: t("customers.assign.minutes") }]} />
              </Form.Item>
            </Flex>
          </Form.Item>
        )}
        <Form.Item name="recall_first" valuePropName="checked">
          <Checkbox>{t("customers.assign.recallFirst")}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}
