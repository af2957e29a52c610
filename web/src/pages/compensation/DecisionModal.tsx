import { useState } from "react";
import { Form, Input, Modal } from "antd";
import { useMutation } from "@tanstack/react-query";
import { api, ApiError, newKey } from "../../api/client";
import { useT } from "../../i18n/I18nProvider";
import { useFeedback } from "../../lib/feedback";
import { useRefreshCompensation } from "./queries";
import type { CompensationRequest } from "./types";

export type Decision = "approved" | "rejected";

/** "Duyệt" / "Từ chối" with a note; someone faster gets 409 already_decided and the list is read again. */
export default function DecisionModal({ request, decision, name, onClose }:
  { request: CompensationRequest; decision: Decision; name: string; onClose: () => void }) {
  const t = useT();
  const { message } = useFeedback();
  const refresh = useRefreshCompensation();
  const [form] = Form.useForm<{ note: string }>();
  const [key] = useState(newKey);
  const decide = useMutation({
    mutationFn: (note: string) => api.post<CompensationRequest>(`/compensation-requests/${request.id}/decision`,
      { decision, note: note.trim() || null }, { idempotencyKey: key }),
    onSuccess: () => {
      refresh();
      message.success(t("comp.decided"));
      onClose();
    },
    onError: (error) => {
      refresh();
      if (error instanceof ApiError && error.code === "already_decided") {
        message.error(t("comp.alreadyDecided"));
        onClose();
      } else if (error instanceof ApiError && error.errors.length) {
        form.setFields(error.errors.map((item) => ({ name: "note" as const, errors: [item.message] })));
      } else {
        message.error(error.message);
      }
    },
  });
  return (
    <Modal open title={t(`comp.decisionTitle.${decision}`, { name })} onCancel={onClose}
           okText={decision === "approved" ? t("comp.approve") : t("comp.reject")} cancelText={t("common.cancel")}
           okButtonProps={{ danger: decision === "rejected" }} onOk={() => form.submit()} confirmLoading={decide.isPending}>
      <Form form={form} layout="vertical" onFinish={(values) => decide.mutate(values.note ?? "")}>
        <Form.Item name="note" label={t("comp.note")}
                   rules={decision === "rejected" ? [{ required: true, whitespace: true, message: t("comp.required", { field: t("comp.note").toLowerCase() }) }] : []}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
