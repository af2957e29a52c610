import { Alert, Descriptions, Space } from "antd";
import { useT } from "../../i18n/I18nProvider";
import { formatDate, formatDateTime } from "../../lib/format";
import { ToneTag } from "../customers/interactions/ToneTag";
import AutoRule from "./AutoRule";
import { flagComparison, flagEntries, LABEL, outcomeName, outcomes } from "./logic";
import type { CompensationRequest, LeadPackage } from "./types";


/** What the reviewer decides on: the calls counted from the customer's history (by outcome), the
 * delivery and the window's deadline, the abuse guard's comparison, the rule that decided. */
export default function Evidence({ request, pack }: { request: CompensationRequest; pack: LeadPackage | undefined }) {
  const t = useT();
  const evidence = request.evidence ?? {};
  const calls = outcomes(evidence.calls_by_outcome);
  const comparison = flagComparison(request.flag);
  const minimum = pack?.policy.min_call_attempts;
  const ruleId = request.decision?.auto_rule_id ?? request.auto_rule_id;
  return (
    <>
      {request.flag && (
        <Alert type="warning" showIcon style={{ marginBottom: 8 }} title={t("comp.flagged")}
               description={comparison ? t("comp.flagDetail", { ...comparison })
                 : flagEntries(request.flag).map(([key, value]) => `${key}: ${value}`).join(" · ")} />
      )}
      <Descriptions size="small" styles={{ label: LABEL }} column={{ xs: 1, md: 2 }} items={[
        { key: "calls", label: t("comp.callAttempts"),
          children: `${evidence.call_attempts ?? 0}${minimum !== undefined ? ` / ${minimum}` : ""}` },
        { key: "outcomes", label: t("comp.byOutcome"), children: calls.length ? (
          <Space size={4} wrap>
            {calls.map(([code, count]) => <ToneTag key={code}>{`${outcomeName(code, t)}: ${count}`}</ToneTag>)}
          </Space>
        ) : t("comp.noCalls") },
        { key: "last", label: t("comp.lastCall"), children: formatDateTime(evidence.last_call_at) },
        { key: "delivered", label: t("comp.deliveredAt"), children: formatDate(evidence.delivered_at) },
        { key: "deadline", label: t("comp.deadline"), children: formatDate(evidence.deadline) },
        ...(ruleId ? [{ key: "auto", label: t("comp.autoRule"), children: <AutoRule id={ruleId} /> }] : []),
      ]} />
    </>
  );
}
