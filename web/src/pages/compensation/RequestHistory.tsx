import { Alert, Spin, Timeline } from "antd";
import { useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";
import { useT } from "../../i18n/I18nProvider";
import { formatDateTime } from "../../lib/format";
import PersonName from "../customers/detail/PersonName";
import { RequestStatusTag } from "./StatusTag";
import type { RequestStatus } from "./types";

interface HistoryEntry {
  action: string;
  from_status: RequestStatus | null;
  to_status: RequestStatus;
  actor_id: string | null;
  note: string | null;
  auto_rule_id: string | null;
  at: string;
}

/** A request's every transition: the state it reached, who (or which rule), when, and the note. */
export default function RequestHistory({ id }: { id: string }) {
  const t = useT();
  const history = useQuery({
    queryKey: ["compensation-requests", id, "history"],
    queryFn: ({ signal }) => api.get<{ items: HistoryEntry[] }>(`/compensation-requests/${id}/history`, undefined, signal),
  });
  if (history.isLoading) return <Spin size="small" />;
  if (history.error) return <Alert type="error" title={history.error.message} />;
  return (
    <Timeline style={{ marginTop: 8 }} items={(history.data?.items ?? []).map((entry, index) => ({
      key: index,
      content: (
        <div>
          <RequestStatusTag status={entry.to_status} /> {formatDateTime(entry.at)} ·{" "}
          {entry.actor_id ? <PersonName id={entry.actor_id} /> : t("comp.auto")}
          {entry.note && <div style={{ whiteSpace: "pre-wrap" }}>{entry.note}</div>}
        </div>
      ),
    }))} />
  );
}
