import { useEffect, useState } from "react";
import { ToneTag, type Tone } from "../../customers/interactions/ToneTag";
import { useT } from "../../../i18n/I18nProvider";
import { formatDateTime } from "../../../lib/format";
import { countdown, slaView, type SlaRule, type SlaState } from "./sla";
import type { SlaCustomer } from "./types";

const TONES: Record<SlaState, Tone> = {
  none: "default", ok: "green", warning: "orange", overdue: "red", contacted: "blue", closed: "default",
};

/** Re-renders every second while a deadline is running (the countdown). */
function useNow(running: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [running]);
  return now;
}

/** A lead's contact deadline as a coloured tag: in time with the time left, close to the deadline,
 * past it, or contacted and how long it took; a lead recalled for a missed deadline says so. */
export function SlaTag({ lead, rule, startedAt }: { lead: SlaCustomer; rule?: SlaRule; startedAt?: string | null }) {
  const t = useT();
  const live = lead.state === "open" && !lead.contacted_at && Boolean(lead.contact_due_at);
  const now = useNow(live);
  const view = slaView(lead, now, rule, startedAt);
  const due = formatDateTime(lead.contact_due_at);
  const words = (() => {
    switch (view.state) {
      case "ok": return t("work.sla.ok", { left: countdown(view.remaining ?? 0), due });
      case "warning": return t("work.sla.warning", { left: countdown(view.remaining ?? 0), due });
      case "overdue": return t("work.sla.overdue", { late: countdown(view.remaining ?? 0), due });
      case "contacted": return view.minutesTaken === null ? t("work.sla.contacted")
        : t(view.late ? "work.sla.contactedLate" : "work.sla.contactedIn", { minutes: view.minutesTaken });
      case "closed": return lead.recall_reason === "sla_missed" ? t("work.sla.recalledSla") : t(`work.customerState.${lead.state}`);
      default: return t("work.sla.none");
    }
  })();
  return (
    <span data-testid="sla-tag" data-state={view.state} title={lead.contact_due_at ? t("work.sla.due", { due }) : undefined}>
      <ToneTag tone={TONES[view.state]}>{words}</ToneTag>
    </span>
  );
}
