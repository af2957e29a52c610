import { useState } from "react";
import { Alert, Form, Input, Modal, Select } from "antd";
import { useMutation } from "@tanstack/react-query";
import { api, ApiError, newKey } from "../../api/client";
import type { Customer } from "../../api/types";
import { useI18n } from "../../i18n/I18nProvider";
import { useFeedback } from "../../lib/feedback";
import { Link } from "../../lib/router";
import { allowedReasons, reasonName } from "./logic";
import { usePaged, useReasons, useRefreshCompensation } from "./queries";
import type { CompensationRequest, LeadPackage } from "./types";

interface Values {
  package_id?: string;
  reason_code: string;
  reason_text: string;
}

interface Props {
  customer: Pick<Customer, "id" | "name">;
  /** asked from a package's page: that package, no choice */
  pack?: LeadPackage;
  open: boolean;
  onClose: () => void;
}

/** Seed 000 steps 2–4: the reason, "Lý do bù", "Gửi yêu cầu bù", the confirmation, then the answer:
 * saved, or refused in the words of the rule that refused it. */
export default function RequestDialog({ customer, pack, open, onClose }: Props) {
  const { t, language } = useI18n();
  const { message, modal } = useFeedback();
  const refresh = useRefreshCompensation();
  const [form] = Form.useForm<Values>();
  const [key, setKey] = useState(newKey);
  const [refusal, setRefusal] = useState<ApiError | null>(null);
  const reasons = useReasons();
  const packages = usePaged<LeadPackage>(["lead-packages", {}], "/lead-packages", {}, open && !pack);
  const packageId = Form.useWatch("package_id", form);
  // the reasons of the package chosen, or of the only one the user has
  const chosen = pack ?? packages.items.find((item) => item.id === packageId)
    ?? (packages.items.length === 1 ? packages.items[0] : undefined);

  const create = useMutation({
    mutationFn: (values: Values) => api.post<CompensationRequest>("/compensation-requests", {
      customer_id: customer.id, package_id: pack?.id ?? (values.package_id || undefined), reason_code: values.reason_code,
      reason_text: values.reason_text.trim(),
    }, { idempotencyKey: key }),
    onSuccess: () => {
      setKey(newKey());
      refresh();
      message.success(t("comp.sent"));
      form.resetFields();
      onClose();
    },
    onError: (error) => {
      if (error instanceof ApiError) setKey(newKey());
      if (error instanceof ApiError && error.errors.length) {
        form.setFields(error.errors.map((item) => ({ name: item.field as keyof Values, errors: [item.message] })));
      } else if (error instanceof ApiError) {
        setRefusal(error);
      } else {
        message.error(error.message);
      }
    },
  });

  const confirm = (values: Values) => {
    setRefusal(null);
    modal.confirm({
      title: t("comp.confirmTitle"),
      content: t("comp.confirm", { name: customer.name, reason: reasonName(reasons.data, values.reason_code, language) }),
      okText: t("comp.ok"),
      cancelText: t("common.cancel"),
      onOk: () => create.mutateAsync(values).catch(() => undefined),
    });
  };

  return (
    <Modal open={open} title={t("comp.dialogTitle", { name: customer.name })} forceRender
           onCancel={() => { setRefusal(null); onClose(); }}
           okText={t("comp.send")} cancelText={t("common.cancel")} onOk={() => form.submit()}
           confirmLoading={create.isPending}>
      {refusal && (
        <Alert type="error" showIcon style={{ marginBottom: 16 }} title={t("comp.refused")}
               description={<span data-testid="compensation-refusal" data-code={refusal.code}>{refusal.detail}</span>} />
      )}
      <Form<Values> form={form} layout="vertical" onFinish={confirm} onValuesChange={() => setRefusal(null)}>
        {!pack && packages.items.length > 1 && (
          <Form.Item name="package_id" label={t("comp.package")} initialValue="">
            <Select loading={packages.isLoading}
                    options={[{ value: "", label: t("comp.packageAuto") },
                              ...packages.items.map((item) => ({ value: item.id, label: `${item.name} · ${item.provider}` }))]} />
          </Form.Item>
        )}
        <Form.Item name="reason_code" label={t("comp.reason")} rules={[{ required: true, message: t("comp.reasonRequired") }]}>
          <Select loading={reasons.isLoading}
                  options={allowedReasons(reasons.data ?? [], chosen)
                    .map((reason) => ({ value: reason.code, label: reasonName(reasons.data, reason.code, language) }))} />
        </Form.Item>
        <Form.Item name="reason_text" label={t("comp.reasonText")}
                   rules={[{ required: true, whitespace: true, message: t("comp.reasonTextRequired") }]}>
          <Input.TextArea rows={4} maxLength={2000} />
        </Form.Item>
      </Form>
      <Link to="/compensation">{t("comp.openList")}</Link>
    </Modal>
  );
}
