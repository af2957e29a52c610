import { Button, Form, InputNumber, Skeleton, Typography } from "antd";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../api/client";
import { useT } from "../../../i18n/I18nProvider";
import { useFeedback } from "../../../lib/feedback";
import { formatDateTime } from "../../../lib/format";
import { useProblem } from "../problems";
import type { Settings } from "./types";

const KEY = ["compensation-settings"];

interface Values {
  abuse_multiple: number;
  abuse_min_requests: number;
  review_sla_hours: number;
}

/** Cài đặt: the abuse guard's multiple and minimum, the review SLA; a stale version offers a reload. */
export function SettingsTab() {
  const settings = useQuery({ queryKey: KEY, queryFn: ({ signal }) => api.get<Settings>("/compensation-settings", undefined, signal) });
  if (!settings.data) return <Skeleton active />;
  return <SettingsForm key={settings.data.version} settings={settings.data} />;
}

function SettingsForm({ settings }: { settings: Settings }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const queryClient = useQueryClient();
  const problem = useProblem();
  const { message } = useFeedback();
  const save = useMutation({
    mutationFn: (values: Values) => api.patch<Settings>("/compensation-settings", values, settings.version),
    onSuccess: (saved) => {
      void message.success(t("admin.saved"));
      queryClient.setQueryData(KEY, saved);
    },
    onError: (error) => problem(error, { form, reload: () => void queryClient.invalidateQueries({ queryKey: KEY }) }),
  });
  const required = (label: string) => ({ required: true, message: t("admin.required", { field: label }) });

  return (
    <Form<Values> form={form} name="compensation-settings" layout="vertical" style={{ maxWidth: 520 }}
                  initialValues={{ ...settings, abuse_multiple: Number(settings.abuse_multiple) }}
                  onFinish={(values) => save.mutate(values)}>
      <Form.Item name="abuse_multiple" label={t("compAdmin.abuseMultiple")} extra={t("compAdmin.abuseMultipleHelp")}
                 rules={[required(t("compAdmin.abuseMultiple"))]}>
        <InputNumber min={1} max={1000} step={0.5} style={{ width: 160 }} />
      </Form.Item>
      <Form.Item name="abuse_min_requests" label={t("compAdmin.abuseMinRequests")} extra={t("compAdmin.abuseMinRequestsHelp")}
                 rules={[required(t("compAdmin.abuseMinRequests"))]}>
        <InputNumber min={1} max={100000} precision={0} style={{ width: 160 }} />
      </Form.Item>
      <Form.Item name="review_sla_hours" label={t("compAdmin.reviewSlaHours")} extra={t("compAdmin.reviewSlaHoursHelp")}
                 rules={[required(t("compAdmin.reviewSlaHours"))]}>
        <InputNumber min={1} max={8760} precision={0} style={{ width: 160 }} />
      </Form.Item>
      <Typography.Paragraph>{t("compAdmin.updatedAt", { time: formatDateTime(settings.updated_at) })}</Typography.Paragraph>
      <Button type="primary" htmlType="submit" loading={save.isPending}>{t("common.save")}</Button>
    </Form>
  );
}
