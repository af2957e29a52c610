import { useState } from "react";
import { DatePicker, Form, Input, InputNumber, Modal, Select } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useMutation } from "@tanstack/react-query";
import { api, ApiError, newKey } from "../../api/client";
import { useI18n } from "../../i18n/I18nProvider";
import { useFeedback } from "../../lib/feedback";
import { DATE, inZone } from "../../lib/format";
import PersonSelect from "../customers/form/PersonSelect";
import { reasonName, shareFromPercent, sharePercent } from "./logic";
import { useReasons, useRefreshCompensation } from "./queries";
import type { LeadPackage } from "./types";

interface Values {
  name: string;
  provider: string;
  owner_id?: string | null;
  purchased_at: Dayjs;
  reasons: string[];
  window_days: number;
  max_share_percent: number;
  min_call_attempts: number;
}

const FIELD_NAMES: Record<string, keyof Values> = {
  "policy.reasons": "reasons", "policy.window_days": "window_days", "policy.max_share": "max_share_percent",
  "policy.min_call_attempts": "min_call_attempts", reasons: "reasons", window_days: "window_days",
  max_share: "max_share_percent", min_call_attempts: "min_call_attempts",
};

/** A manager's new lead package, or one changed (If-Match): name, provider, owner (the manager when
 * empty), purchase date and its compensation policy (reasons, window, maximum share, minimum calls). */
export default function PackageFormModal({ open, pack, onClose }:
  { open: boolean; pack?: LeadPackage; onClose: (createdId?: string) => void }) {
  const { t, language } = useI18n();
  const { message } = useFeedback();
  const refresh = useRefreshCompensation();
  const reasons = useReasons();
  const [form] = Form.useForm<Values>();
  const [key] = useState(newKey);
  const required = (field: string) => [{ required: true, message: t("comp.required", { field: field.toLowerCase() }) }];

  const create = useMutation({
    mutationFn: (values: Values) => {
      const body = {
        name: values.name.trim(), provider: values.provider.trim(), owner_id: values.owner_id || undefined,
        purchased_at: inZone(values.purchased_at.toDate()).startOf("day").toISOString(),
        policy: { reasons: values.reasons, window_days: values.window_days,
                  max_share: shareFromPercent(values.max_share_percent), min_call_attempts: values.min_call_attempts },
      };
      return pack ? api.patch<LeadPackage>(`/lead-packages/${pack.id}`, body, pack.version)
        : api.post<LeadPackage>("/lead-packages", body, { idempotencyKey: key });
    },
    onSuccess: (created) => {
      refresh();
      message.success(t(pack ? "comp.packageSaved" : "comp.packageCreated"));
      onClose(pack ? undefined : created.id);
    },
    onError: (error) => {
      if (error instanceof ApiError && (error.status === 412 || error.code === "version_conflict")) {
        refresh();
        message.error(t("common.versionConflict"));
      } else if (error instanceof ApiError && error.errors.length) {
        form.setFields(error.errors.map((item) => ({
          name: FIELD_NAMES[item.field] ?? (item.field as keyof Values), errors: [item.message] })));
      } else {
        message.error(error.message);
      }
    },
  });

  return (
    <Modal open={open} title={t(pack ? "comp.editPackage" : "comp.newPackage")} onCancel={() => onClose()} okText={t("common.save")}
           cancelText={t("common.cancel")} onOk={() => form.submit()} confirmLoading={create.isPending}>
      <Form<Values> form={form} layout="vertical" onFinish={(values) => create.mutate(values)}
                    initialValues={pack ? {
                      name: pack.name, provider: pack.provider, owner_id: pack.owner_id, purchased_at: dayjs(pack.purchased_at),
                      reasons: pack.policy.reasons, window_days: pack.policy.window_days,
                      max_share_percent: sharePercent(pack.policy.max_share), min_call_attempts: pack.policy.min_call_attempts,
                    } : { window_days: 30, max_share_percent: 10, min_call_attempts: 3, reasons: [] }}>
        <Form.Item name="name" label={t("comp.name")} rules={required(t("comp.name"))}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="provider" label={t("comp.provider")} rules={required(t("comp.provider"))}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="owner_id" label={t("comp.ownerOptional")}>
          <PersonSelect />
        </Form.Item>
        <Form.Item name="purchased_at" label={t("comp.purchasedAt")} rules={required(t("comp.purchasedAt"))}>
          <DatePicker format={DATE} style={{ width: "100%" }} />
        </Form.Item>
        <Form.Item name="reasons" label={t("comp.policyReasons")} rules={required(t("comp.policyReasons"))}>
          <Select mode="multiple" loading={reasons.isLoading}
                  options={(reasons.data ?? []).filter((reason) => reason.active)
                    .map((reason) => ({ value: reason.code, label: reasonName(reasons.data, reason.code, language) }))} />
        </Form.Item>
        <Form.Item name="window_days" label={t("comp.windowDays")} rules={required(t("comp.windowDays"))}>
          <InputNumber min={1} max={3650} precision={0} style={{ width: "100%" }} />
        </Form.Item>
        <Form.Item name="max_share_percent" label={t("comp.maxShare")} rules={required(t("comp.maxShare"))}>
          <InputNumber min={0.01} max={100} style={{ width: "100%" }} />
        </Form.Item>
        <Form.Item name="min_call_attempts" label={t("comp.minCalls")} rules={required(t("comp.minCalls"))}>
          <InputNumber min={0} max={100} precision={0} style={{ width: "100%" }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
