import { Button, Popconfirm, Progress, Table, Typography } from "antd";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, newKey } from "../../../api/client";
import { usePerson } from "../../../api/people";
import { useT } from "../../../i18n/I18nProvider";
import { useFeedback } from "../../../lib/feedback";
import type { RosterRow } from "./types";
import { useShowError } from "./useShowError";

interface RecallByRep {
  assignments: string[];
  recalled: string[];
}

function UnitName({ id }: { id: string }) {
  const person = usePerson(id);
  return <>{person.data?.unit_name ?? ""}</>;
}

/** Đội sale: the reps within reach with their open leads against capacity (`room`), and "Thu hồi tất
 * cả" for a rep who leaves or moves (POST /recalls {assignee_id}). */
export function RosterTab() {
  const t = useT();
  const roster = useQuery({ queryKey: ["roster"], queryFn: () => api.get<RosterRow[]>("/roster") });
  return (
    <div>
      <Typography.Paragraph type="secondary">{t("work.roster.hint")}</Typography.Paragraph>
      <Table<RosterRow> rowKey="user_id" dataSource={roster.data ?? []} loading={roster.isLoading} pagination={false}
                        scroll={{ x: "max-content" }} size="small" aria-label={t("work.tab.roster")}
                        columns={[
                          { title: t("work.roster.rep"), key: "rep", render: (_, rep) => `${rep.full_name} (${rep.username})` },
                          { title: t("work.roster.unit"), key: "unit", render: (_, rep) => <UnitName id={rep.user_id} /> },
                          { title: t("work.roster.weight"), dataIndex: "weight", align: "right" },
                          { title: t("work.roster.open"), key: "load", render: (_, rep) => <Load rep={rep} /> },
                          { title: t("work.roster.room"), key: "room", align: "right", render: (_, rep) => <Room rep={rep} /> },
                          { title: t("common.actions"), key: "actions", render: (_, rep) => <RecallAll rep={rep} /> },
                        ]} />
    </div>
  );
}

function Load({ rep }: { rep: RosterRow }) {
  const t = useT();
  if (rep.capacity === null || rep.capacity === undefined) {
    return <span>{rep.open_leads} · {t("work.roster.noCapacity")}</span>;
  }
  const percent = rep.capacity ? Math.min(100, Math.round((rep.open_leads / rep.capacity) * 100)) : 100;
  return (
    <span style={{ display: "inline-flex", gap: 8, alignItems: "center", minWidth: 180 }}>
      <span>{rep.open_leads} / {rep.capacity}</span>
      <Progress percent={percent} size="small" showInfo={false} style={{ width: 100, margin: 0 }}
                status={percent >= 100 ? "exception" : "normal"}
                aria-label={`${t("work.roster.open")}: ${rep.open_leads} / ${rep.capacity}`} />
    </span>
  );
}

function Room({ rep }: { rep: RosterRow }) {
  const t = useT();
  if (rep.capacity === null || rep.capacity === undefined) return <>—</>;
  const room = rep.room ?? Math.max(0, rep.capacity - rep.open_leads);
  return <>{room > 0 ? room : t("work.roster.full")}</>;
}

function RecallAll({ rep }: { rep: RosterRow }) {
  const t = useT();
  const queryClient = useQueryClient();
  const showError = useShowError();
  const { message } = useFeedback();
  const recall = useMutation({
    mutationFn: () => api.post<RecallByRep>("/recalls", { assignee_id: rep.user_id }, { idempotencyKey: newKey() }),
    onSuccess: (result) => {
      void message.success(t("work.roster.recalled", { count: result.recalled.length, assignments: result.assignments.length }));
      for (const key of ["roster", "assignments", "assignment", "customers"]) void queryClient.invalidateQueries({ queryKey: [key] });
    },
    onError: showError,
  });
  if (rep.open_leads === 0) return null;
  return (
    <Popconfirm title={t("work.roster.recallConfirm", { name: rep.full_name })} okText={t("work.recall")}
                cancelText={t("common.cancel")} onConfirm={() => recall.mutateAsync().catch(() => undefined)}>
      <Button size="small" loading={recall.isPending} aria-label={t("work.roster.recallAllOf", { name: rep.full_name })}>
        {t("work.roster.recallAll")}
      </Button>
    </Popconfirm>
  );
}
