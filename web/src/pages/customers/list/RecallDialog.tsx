import { useMemo, useState } from "react";
import { Alert, Checkbox, Empty, Flex, Modal, Spin, Typography } from "antd";
import { useFeedback } from "../../../lib/feedback";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, ApiError, newKey, type Page } from "../../../api/client";
import type { Assignment, AssignmentDetail, RecallResult } from "../../../api/types";
import { useT } from "../../../i18n/I18nProvider";
import type { MessageKey } from "../../../i18n/messages";
import { formatDate } from "../../../lib/format";
import { personNames } from "./people";

interface Props {
  open: boolean;
  ids: string[] | null;
  onClose: () => void;
  onDone: () => void;
}

/** How many of the newest open assignments are searched for the selected customers. */
const SCANNED = 50;

interface Match {
  assignment: AssignmentDetail;
  /** the selected customers still open in it */
  customers: string[];
}

/** Seed 004's "Thu hồi": the open assignments holding selected customers (POST /recalls takes an assignment,
 * so they are found here), each ticked; the selected customers go back to their previous owner. */
export function RecallDialog({ open, ids, onClose, onDone }: Props) {
  const t = useT();
  const { message } = useFeedback();
  const queryClient = useQueryClient();
  const [unticked, setUnticked] = useState<string[]>([]);
  const details = useQuery({
    queryKey: ["assignments", "open-details", SCANNED], enabled: open,
    queryFn: async () => {
      const page = await api.get<Page<Assignment>>("/assignments", { scope: "all", limit: 200 });
      const openOnes = page.items.filter((item) => item.open_count > 0
        && (item.status === "offered" || item.status === "accepted")).slice(0, SCANNED);
      const assignments = await Promise.all(openOnes.map((item) => api.get<AssignmentDetail>(`/assignments/${item.id}`)));
      const names = await personNames(queryClient, assignments.map((item) => item.assignee_id));
      return { assignments, names };
    },
  });
  const matches: Match[] = useMemo(() => {
    const selected = new Set(ids ?? []);
    return (details.data?.assignments ?? []).map((assignment) => ({
      assignment,
      customers: assignment.customers.filter((item) => item.state === "open" && selected.has(item.customer_id))
        .map((item) => item.customer_id),
    })).filter((match) => match.customers.length > 0);
  }, [details.data, ids]);
  const chosen = matches.filter((match) => !unticked.includes(match.assignment.id));

  const recall = useMutation({
    mutationFn: (picked: Match[]) => Promise.all(picked.map((match) => api.post<RecallResult>("/recalls", {
      assignment_id: match.assignment.id, customer_ids: match.customers,
    }, { idempotencyKey: newKey() }))),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: ["customers"] });
      void queryClient.invalidateQueries({ queryKey: ["assignments"] });
    },
  });

  const label = ({ assignment, customers }: Match) => t("customers.assign.recallOption", {
    text: assignment.text, name: details.data?.names.get(assignment.assignee_id) ?? "",
    selected: customers.length, status: t(`customers.assign.status.${assignment.status}` as MessageKey),
    date: formatDate(assignment.created_at),
  });

  const submit = async () => {
    if (chosen.length === 0) return;
    const results = await recall.mutateAsync(chosen).catch(() => null);
    if (!results) return;
    void message.success(t("customers.assign.recallDone", {
      recalled: results.reduce((sum, result) => sum + result.recalled.length, 0),
      skipped: results.reduce((sum, result) => sum + result.skipped.length, 0),
    }));
    onDone();
  };

  return (
    <Modal open={open} title={t("customers.assign.recallTitle", { count: ids?.length ?? 0 })} onCancel={onClose}
           onOk={submit} okText={t("customers.assign.recallSubmit")} cancelText={t("common.cancel")} width={640}
           okButtonProps={{ disabled: chosen.length === 0 }} confirmLoading={recall.isPending} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t("customers.assign.recallHint")}</Typography.Paragraph>
      {recall.error && <Alert type="error" showIcon style={{ marginBottom: 12 }}
                              title={recall.error instanceof ApiError ? recall.error.detail : t("common.error")} />}
      {details.isLoading || ids === null ? <Spin /> : matches.length === 0 ? (
        <Empty description={t("customers.assign.recallNone")} />
      ) : (
        <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
          <legend style={{ fontSize: 14, fontWeight: 600 }}>{t("customers.assign.chooseAssignment")}</legend>
          <Flex vertical gap={6}>
            {matches.map((match) => (
              <Checkbox key={match.assignment.id} checked={!unticked.includes(match.assignment.id)}
                        onChange={(event) => setUnticked(event.target.checked
                          ? unticked.filter((id) => id !== match.assignment.id)
                          : [...unticked, match.assignment.id])}>
                {label(match)}
              </Checkbox>
            ))}
          </Flex>
        </fieldset>
      )}
      {details.data && details.data.assignments.length >= SCANNED && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {t("customers.assign.recallScanned", { count: SCANNED })}
        </Typography.Paragraph>
      )}
    </Modal>
  );
}
