import { useDeferredValue, useState } from "react";
import { DatePicker, Form, Modal, Select } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useMutation, useQuery } from "@tanstack/react-query";
import { api, ApiError, newKey, type Page } from "../../api/client";
import type { Customer } from "../../api/types";
import { useT } from "../../i18n/I18nProvider";
import { useFeedback } from "../../lib/feedback";
import { DATE, inZone } from "../../lib/format";
import { localPhone } from "../customers/detail/phone";
import { useRefreshCompensation } from "./queries";
import type { LeadPackage } from "./types";

interface Values {
  customer_ids: string[];
  delivered_at: Dayjs;
}

/** A manager adds customers to a package as its leads, with the day they were delivered (the
 * window for compensation counts from it). */
export default function AddLeadsModal({ pack, onClose }: { pack: LeadPackage; onClose: () => void }) {
  const t = useT();
  const { message } = useFeedback();
  const refresh = useRefreshCompensation();
  const [form] = Form.useForm<Values>();
  const [key] = useState(newKey);
  const [q, setQ] = useState("");
  const query = useDeferredValue(q);
  const found = useQuery({
    queryKey: ["customers", { q: query, limit: 20 }],
    queryFn: ({ signal }) => api.get<Page<Customer>>("/customers", { q: query, limit: 20 }, signal),
    enabled: query.trim().length > 0,
  });
  const add = useMutation({
    mutationFn: (values: Values) => api.post<{ added: number; already: number; unknown: number }>(
      `/lead-packages/${pack.id}/leads`,
      { customer_ids: values.customer_ids, delivered_at: inZone(values.delivered_at.toDate()).startOf("day").toISOString() },
      { idempotencyKey: key }),
    onSuccess: (result) => {
      refresh();
      message.success(t("comp.leadsAdded", result));
      onClose();
    },
    onError: (error) => {
      if (error instanceof ApiError && error.errors.length) {
        form.setFields(error.errors.map((item) => ({ name: item.field as keyof Values, errors: [item.message] })));
      } else {
        message.error(error.message);
      }
    },
  });
  return (
    <Modal open title={t("comp.addLeads")} onCancel={onClose} okText={t("common.save")} cancelText={t("common.cancel")}
           onOk={() => form.submit()} confirmLoading={add.isPending}>
      <Form<Values> form={form} layout="vertical" onFinish={(values) => add.mutate(values)}
                    initialValues={{ customer_ids: [], delivered_at: dayjs() }}>
        <Form.Item name="customer_ids" label={t("comp.searchCustomer")}
                   rules={[{ required: true, message: t("comp.required", { field: t("comp.leadCustomers").toLowerCase() }) }]}>
          <Select mode="multiple" loading={found.isFetching}
                  showSearch={{ filterOption: false, onSearch: setQ }}
                  options={(found.data?.items ?? []).map((row) => ({ value: row.id, label: `${row.name} · ${localPhone(row.phone)}` }))} />
        </Form.Item>
        <Form.Item name="delivered_at" label={t("comp.deliveredAt")}
                   rules={[{ required: true, message: t("comp.required", { field: t("comp.deliveredAt").toLowerCase() }) }]}>
          <DatePicker format={DATE} style={{ width: "100%" }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
