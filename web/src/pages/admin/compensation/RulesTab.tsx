import { useMemo, useState } from "react";
import { Button, Flex, Popconfirm, Space, Table, Tag } from "antd";
import { PlusOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../api/client";
import { useI18n } from "../../../i18n/I18nProvider";
import { useFeedback } from "../../../lib/feedback";
import { LABEL, outcomeName, reasonName } from "../../compensation/logic";
import { useReasons } from "../../compensation/queries";
import { useProblem } from "../problems";
import { RuleFormModal } from "./RuleFormModal";
import type { Rule } from "./types";

export const RULES_KEY = ["compensation-rules"];

export function useRules() {
  return useQuery({
    queryKey: RULES_KEY,
    queryFn: ({ signal }) => api.get<Rule[] | { items: Rule[] }>("/compensation-rules", undefined, signal)
      .then((data) => (Array.isArray(data) ? data : data.items)),
  });
}

/** Quy tắc tự động duyệt: in the order they apply; add, edit, delete (after a confirmation). */
export function RulesTab() {
  const { t, language } = useI18n();
  const rules = useRules();
  const reasons = useReasons();
  const [editing, setEditing] = useState<Rule | "new" | null>(null);
  const rows = useMemo(() => [...(rules.data ?? [])].sort((a, b) => a.position - b.position), [rules.data]);
  const queryClient = useQueryClient();
  const problem = useProblem();
  const { message } = useFeedback();
  const remove = useMutation({
    mutationFn: (rule: Rule) => api.delete(`/compensation-rules/${rule.id}`),
    onSuccess: () => {
      void message.success(t("admin.deleted"));
      void queryClient.invalidateQueries({ queryKey: RULES_KEY });
    },
    onError: (error) => problem(error),
  });
  const condition = (rule: Rule) => (rule.kind === "min_calls_with_outcome"
    ? t("comp.rule.minCalls", { count: rule.params.min_calls ?? 0, outcome: outcomeName(rule.params.outcome ?? "", t) })
    : t("comp.rule.duplicate"));
  const nextPosition = rows.length ? rows[rows.length - 1].position + 1 : 0;

  return (
    <>
      <Flex justify="end" style={{ marginBottom: 12 }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing("new")}>{t("compAdmin.addRule")}</Button>
      </Flex>
      <Table<Rule> rowKey="id" dataSource={rows} loading={rules.isLoading} pagination={false}
                   scroll={rows.length ? { x: "max-content" } : undefined}
                   locale={{ emptyText: <span style={LABEL}>{t("compAdmin.noRules")}</span> }} columns={[
        { title: t("compAdmin.position"), dataIndex: "position" },
        { title: t("compAdmin.reason"), dataIndex: "reason_code",
          render: (code: string) => reasonName(reasons.data, code, language) },
        { title: t("compAdmin.kind"), key: "condition", render: (_: unknown, rule: Rule) => condition(rule) },
        { title: t("compAdmin.decision"), dataIndex: "decision", render: (decision: Rule["decision"]) => (
          <Tag color={decision === "approved" ? "green" : "red"}>{t(`comp.status.${decision}`)}</Tag>
        ) },
        { title: t("compAdmin.active"), dataIndex: "active", render: (active: boolean) => (
          <Tag color={active ? "green" : "default"}>{active ? t("compAdmin.active") : t("compAdmin.inactive")}</Tag>
        ) },
        { title: t("common.actions"), key: "actions", render: (_: unknown, rule: Rule) => {
          const name = `${reasonName(reasons.data, rule.reason_code, language)} (${rule.position})`;
          return (
            <Space wrap>
              <Button size="small" onClick={() => setEditing(rule)} aria-label={`${t("compAdmin.editRule")} ${name}`}>
                {t("common.edit")}
              </Button>
              <Popconfirm title={t("compAdmin.deleteRuleConfirm")} okText={t("common.delete")} cancelText={t("common.cancel")}
                          okButtonProps={{ danger: true }} onConfirm={() => remove.mutateAsync(rule).catch(() => undefined)}>
                <Button size="small" danger aria-label={`${t("compAdmin.deleteRule")} ${name}`}>{t("common.delete")}</Button>
              </Popconfirm>
            </Space>
          );
        } },
      ]} />
      {editing && (
        <RuleFormModal rule={editing === "new" ? undefined : editing} nextPosition={nextPosition}
                       onClose={() => setEditing(null)} />
      )}
    </>
  );
}
