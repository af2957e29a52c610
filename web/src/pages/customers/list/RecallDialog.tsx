import { useEffect, useMemo, useState } from "react";
import { Alert, App, Form, Modal, Select, Typography } from "antd";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, ApiError, newKey, type Page } from "../../../api/client";
import type { Assignment, RecallResult } from "../../../api/types";
import { useT } from "../../../i18n/I18nProvider";
import type { MessageKey } from "../../../i18n/messages";
import { formatDate } from "../../../lib/format";
import { usePeople } from "./lookups";

interface Props {
  open: boolean;
  ids: string[] | null;
  onClose: () => void;
  onDone: () => void;
}

/** Seed 004's "Thu hồi": pick an open assignment; the selected customers still open in it go back to
 * their previous owner (POST /recalls takes an assignment and customer ids). */
export function RecallDialog({ open, ids, onClose, onDone }: Props) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const people = usePeople();
  const [assignmentId, setAssignmentId] = useState<string>();
  const [tried, setTried] = useState(false);
  const assignments = useQuery({
    queryKey: ["assignments", { scope: "all", limit: 200 }], enabled: open,
    queryFn: () => api.get<Page<Assignment>>("/assignments", { scope: "all", limit: 200 }),
  });
  const recall = useMutation({
    mutationFn: (assignment: string) => api.post<RecallResult>("/recalls", { assignment_id: assignment,
                                                                            customer_ids: ids },
                                                                { idempotencyKey: newKey() }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ["customers"] });
      void queryClient.invalidateQueries({ queryKey: ["assignments"] });
    },
  });
  useEffect(() => {
    if (open) {
      setAssignmentId(undefined);
      setTried(false);
      recall.reset();
    }
  }, [open]);

  const names = useMemo(() => new Map(people.data?.items.map((person) => [person.id, person.full_name])),
                        [people.data]);
  const options = (assignments.data?.items ?? [])
    .filter((item) => item.open_count > 0 && (item.status === "offered" || item.status === "accepted"))
    .map((item) => ({
      value: item.id,
      label: t("customers.assign.assignmentOption", {
        text: item.text, name: names.get(item.assignee_id) ?? item.assignee_id.slice(0, 8), open: item.open_count,
        total: item.customer_count, status: t(`customers.assign.status.${item.status}` as MessageKey),
        date: formatDate(item.created_at),
      }),
    }));

  const submit = async () => {
    setTried(true);
    if (!assignmentId || !ids) return;
    const result = await recall.mutateAsync(assignmentId).catch(() => null);
    if (!result) return;
    void message.success(t("customers.assign.recallDone", { recalled: result.recalled.length,
                                                             skipped: result.skipped.length }));
    onDone();
  };

  return (
    <Modal open={open} title={t("customers.assign.recallTitle", { count: ids?.length ?? 0 })} onCancel={onClose}
           onOk={submit} okText={t("customers.assign.recallSubmit")} cancelText={t("common.cancel")} width={640}
           confirmLoading={recall.isPending || ids === null} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t("customers.assign.recallHint")}</Typography.Paragraph>
      {recall.error && <Alert type="error" showIcon style={{ marginBottom: 12 }}
                              title={recall.error instanceof ApiError ? recall.error.detail : t("common.error")} />}
      <Form layout="vertical">
        <Form.Item label={t("customers.assign.chooseAssignment")} htmlFor="recall-assignment" required
                   validateStatus={tried && !assignmentId ? "error" : undefined}
                   help={tried && !assignmentId ? t("customers.bulk.required") : undefined}>
          <Select id="recall-assignment" value={assignmentId} onChange={setAssignmentId} loading={assignments.isLoading}
                  showSearch={{ optionFilterProp: "label" }} options={options}
                  notFoundContent={t("customers.assign.noOpenAssignments")} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
