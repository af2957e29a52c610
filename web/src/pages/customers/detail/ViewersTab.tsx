import { useState } from "react";
import { Button, Empty, Flex, List, Spin, Typography } from "antd";
import { useFeedback } from "../../../lib/feedback";
import { DeleteOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../api/client";
import type { Customer } from "../../../api/types";
import { useAuth } from "../../../auth/AuthProvider";
import { useT } from "../../../i18n/I18nProvider";
import PersonSelect from "../form/PersonSelect";
import { canEdit } from "./canEdit";
import { usePerson } from "./usePerson";

function Viewer({ id, onRemove, removing }: { id: string; onRemove?: () => void; removing: boolean }) {
  const t = useT();
  const person = usePerson(id);
  const name = person.data?.full_name ?? id;
  return (
    <List.Item actions={onRemove ? [
      <Button key="remove" type="text" danger icon={<DeleteOutlined aria-hidden />} loading={removing}
              aria-label={t("customers.viewers.remove", { name })} onClick={onRemove} />,
    ] : []}>
      <List.Item.Meta title={name} description={person.data?.unit_name} />
    </List.Item>
  );
}

/** Seed 003 "Thêm người xem": the colleagues who may see this customer; who may edit adds and removes them. */
export default function ViewersTab({ customer }: { customer: Customer }) {
  const t = useT();
  const { me } = useAuth();
  const { message } = useFeedback();
  const queryClient = useQueryClient();
  const [picked, setPicked] = useState<string | null>(null);
  const editable = canEdit(me, customer);
  const viewers = useQuery({
    queryKey: ["customer", customer.id, "viewers"],
    queryFn: () => api.get<string[]>(`/customers/${customer.id}/viewers`),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["customer", customer.id] });
  const add = useMutation({
    mutationFn: (userId: string) => api.post(`/customers/${customer.id}/viewers`, { user_id: userId }),
    onSuccess: () => {
      setPicked(null);
      void message.success(t("customers.viewers.added"));
      return refresh();
    },
    onError: (error) => void message.error(error.message),
  });
  const remove = useMutation({
    mutationFn: (userId: string) => api.delete(`/customers/${customer.id}/viewers/${userId}`),
    onSuccess: () => {
      void message.success(t("customers.viewers.removed"));
      return refresh();
    },
    onError: (error) => void message.error(error.message),
  });
  const ids = viewers.data ?? [];
  return (
    <section aria-labelledby="viewers-title" style={{ maxWidth: 640 }}>
      <Typography.Title id="viewers-title" level={2} style={{ fontSize: 17 }}>{t("customers.viewers.title")}</Typography.Title>
      <Typography.Paragraph type="secondary">
        {editable ? t("customers.viewers.hint") : t("customers.viewers.readOnly")}
      </Typography.Paragraph>
      {editable && (
        <Flex gap={8} style={{ marginBottom: 12 }}>
          <div style={{ flex: 1, minWidth: 0 }}>
            <PersonSelect aria-label={t("customers.viewers.pick")} value={picked} onChange={setPicked}
                          exclude={[...ids, customer.owner_id ?? ""]} />
          </div>
          <Button type="primary" disabled={!picked} loading={add.isPending} onClick={() => picked && add.mutate(picked)}>
            {t("customers.viewers.add")}
          </Button>
        </Flex>
      )}
      {viewers.isLoading ? <Spin /> : ids.length === 0
        ? <Empty description={t("customers.viewers.empty")} />
        : (
          <List bordered dataSource={ids} renderItem={(id) => (
            <Viewer id={id} removing={remove.isPending && remove.variables === id}
                    onRemove={editable ? () => remove.mutate(id) : undefined} />
          )} />
        )}
    </section>
  );
}
