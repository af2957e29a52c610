import { Form, Input, Modal, Select } from "antd";
import { useMutation } from "@tanstack/react-query";
import { api, ApiError } from "../../api/client";
import { useI18n } from "../../i18n/I18nProvider";
import { useFeedback } from "../../lib/feedback";
import { allowedReasons, reasonName } from "./logic";
import { useReasons, useRefreshCompensation } from "./queries";
import type { CompensationRequest, LeadPackage } from "./types";

interface Values {
  reason_code: string;
  reason_text: string;
}

/** A draft's reason changed (If-Match; the server checks eligibility again). */
export default function EditRequestModal({ request, pack, onClose }:
  { request: CompensationRequest; pack: LeadPackage | undefined; onClose: () => void }) {
  const { t, language } = useI18n();
  const { message } = useFeedback();
  const reasons = useReasons();
  const refresh = useRefreshCompensation();
  const [form] = Form.useForm<Values>();
  const save = useMutation({
    mutationFn: (values: Values) => api.patch<CompensationRequest>(`/compensation-requests/${request.id}`,
      { reason_code: values.reason_code, reason_text: values.reason_text.trim() }, request.version),
    onSuccess: () => {
      refresh();
      message.success(t("comp.saved"));
      onClose();
    },
    onError: (error) => {
      if (error instanceof ApiError && error.status === 412) {
        refresh();
        message.error(t("common.versionConflict"));
      } else if (error instanceof ApiError && error.errors.length) {
        form.setFields(error.errors.map((item) => ({ name: item.field as keyof Values, errors: [item.message] })));
      } else {
        message.error(error.message);
      }
    },
  });
  return (
    <Modal open title={t("comp.editTitle")} onCancel={onClose} okText={t("common.save")} cancelText={t("common.cancel")}
           onOk={() => form.submit()} confirmLoading={save.isPending}>
      <Form<Values> form={form} layout="vertical" onFinish={(values) => save.mutate(values)}
                    initialValues={{ reason_code: request.reason_code, reason_text: request.reason_text ?? "" }}>
        <Form.Item name="reason_code" label={t("comp.reason")} rules={[{ required: true, message: t("comp.reasonRequired") }]}>
          <Select options={allowedReasons(reasons.data ?? [], pack)
            .map((reason) => ({ value: reason.code, label: reasonName(reasons.data, reason.code, language) }))} />
        </Form.Item>
        <Form.Item name="reason_text" label={t("comp.reasonText")}
                   rules={[{ required: true, whitespace: true, message: t("comp.reasonTextRequired") }]}>
          <Input.TextArea rows={4} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
