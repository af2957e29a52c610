import { useState } from "react";
import { Button, Flex, Switch, Table, Tag, Typography } from "antd";
import { PlusOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../api/client";
import { useT } from "../../../i18n/I18nProvider";
import { useFeedback } from "../../../lib/feedback";
import { useReasons } from "../../compensation/queries";
import type { Reason } from "../../compensation/types";
import { useProblem } from "../problems";
import { ReasonFormModal } from "./ReasonFormModal";

export function reasonBody(reason: Reason, changes: Partial<Reason> = {}) {
  const merged = { ...reason, ...changes };
  return { name_vi: merged.name_vi, name_en: merged.name_en, counts_calls: merged.counts_calls, active: merged.active };
}

/** Lý do bù: the catalogue; add and edit in a modal, switch a reason on or off in place. */
export function ReasonsTab() {
  const t = useT();
  const reasons = useReasons();
  const [editing, setEditing] = useState<Reason | "new" | null>(null);
  const queryClient = useQueryClient();
  const problem = useProblem();
  const { message } = useFeedback();
  const toggle = useMutation({
    mutationFn: ({ reason, active }: { reason: Reason; active: boolean }) =>
      api.put<Reason>(`/compensation-reasons/${encodeURIComponent(reason.code)}`, reasonBody(reason, { active })),
    onSuccess: () => {
      void message.success(t("admin.saved"));
      void queryClient.invalidateQueries({ queryKey: ["compensation-reasons"] });
    },
    onError: (error) => problem(error),
  });

  return (
    <>
      <Flex justify="end" style={{ marginBottom: 12 }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing("new")}>{t("compAdmin.addReason")}</Button>
      </Flex>
      <Table<Reason> rowKey="code" dataSource={reasons.data ?? []} loading={reasons.isLoading} pagination={false}
                     scroll={{ x: "max-content" }} columns={[
        { title: t("compAdmin.code"), dataIndex: "code", render: (code: string) => <Typography.Text code>{code}</Typography.Text> },
        { title: t("compAdmin.nameVi"), dataIndex: "name_vi" },
        { title: t("compAdmin.nameEn"), dataIndex: "name_en" },
        { title: t("compAdmin.countsCalls"), dataIndex: "counts_calls",
          render: (counts: boolean) => <Tag color={counts ? "blue" : "default"}>{counts ? t("common.yes") : t("common.no")}</Tag> },
        { title: t("compAdmin.active"), dataIndex: "active", render: (active: boolean, reason: Reason) => (
          <Switch checked={active} aria-label={t("compAdmin.activeOf", { name: reason.name_vi })}
                  loading={toggle.isPending && toggle.variables?.reason.code === reason.code}
                  onChange={(checked) => toggle.mutate({ reason, active: checked })} />
        ) },
        { title: t("common.actions"), key: "actions", render: (_: unknown, reason: Reason) => (
          <Button size="small" onClick={() => setEditing(reason)} aria-label={`${t("common.edit")} ${reason.name_vi}`}>
            {t("common.edit")}
          </Button>
        ) },
      ]} />
      {editing && (
        <ReasonFormModal reason={editing === "new" ? undefined : editing} existing={reasons.data ?? []}
                         onClose={() => setEditing(null)} />
      )}
    </>
  );
}
