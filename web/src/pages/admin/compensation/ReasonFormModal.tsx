import { Flex, Form, Input, Modal, Switch } from "antd";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../api/client";
import { useT } from "../../../i18n/I18nProvider";
import { useFeedback } from "../../../lib/feedback";
import type { Reason } from "../../compensation/types";
import { useProblem } from "../problems";
import { CODE_PATTERN } from "./types";

interface Values {
  code: string;
  name_vi: string;
  name_en: string;
  counts_calls: boolean;
  active: boolean;
}

/** Thêm / sửa lý do bù: PUT creates or changes the reason of that code (a new code must be new). */
export function ReasonFormModal({ reason, existing, onClose }: { reason?: Reason; existing: readonly Reason[]; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const queryClient = useQueryClient();
  const problem = useProblem();
  const { message } = useFeedback();
  const save = useMutation({
    mutationFn: ({ code, ...body }: Values) => api.put<Reason>(`/compensation-reasons/${encodeURIComponent(code)}`, body),
    onSuccess: () => {
      void message.success(reason ? t("admin.saved") : t("admin.created"));
      void queryClient.invalidateQueries({ queryKey: ["compensation-reasons"] });
      onClose();
    },
    onError: (error) => problem(error, { form }),
  });
  const required = (label: string) => ({ required: true, whitespace: true, message: t("admin.required", { field: label }) });

  return (
    <Modal open title={reason ? t("compAdmin.editReason", { code: reason.code }) : t("compAdmin.addReason")}
           onCancel={onClose} okText={t("common.save")} cancelText={t("common.close")}
           confirmLoading={save.isPending} onOk={() => form.submit()} destroyOnHidden>
      <Form<Values> form={form} name="compensation-reason" layout="vertical" onFinish={(values) => save.mutate(values)}
                    initialValues={reason ?? { code: "", name_vi: "", name_en: "", counts_calls: false, active: true }}>
        <Form.Item name="code" label={t("compAdmin.code")} extra={reason ? undefined : t("compAdmin.codeHelp")} rules={reason ? [] : [
          required(t("compAdmin.code")),
          { pattern: CODE_PATTERN, message: t("compAdmin.codeInvalid") },
          { validator: async (_, code?: string) => {
            if (existing.some((item) => item.code === code)) throw new Error(t("compAdmin.codeExists"));
          } },
        ]}>
          <Input maxLength={50} disabled={Boolean(reason)} />
        </Form.Item>
        <Form.Item name="name_vi" label={t("compAdmin.nameVi")} rules={[required(t("compAdmin.nameVi"))]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="name_en" label={t("compAdmin.nameEn")} rules={[required(t("compAdmin.nameEn"))]}>
          <Input maxLength={200} />
        </Form.Item>
        <Flex gap={24} wrap>
          <Form.Item name="counts_calls" label={t("compAdmin.countsCalls")} valuePropName="checked"
                     extra={t("compAdmin.countsCallsHelp")}>
            <Switch />
          </Form.Item>
          <Form.Item name="active" label={t("compAdmin.active")} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Flex>
      </Form>
    </Modal>
  );
}
