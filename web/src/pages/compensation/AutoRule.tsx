import { useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";
import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/I18nProvider";
import { outcomeName, reasonName } from "./logic";
import { useReasons } from "./queries";

interface Rule {
  id: string;
  reason_code: string;
  kind: "min_calls_with_outcome" | "duplicate_of_provider_lead";
  params: { min_calls?: number; outcome?: string };
  decision: "approved" | "rejected";
}

/** The auto-decision rule that decided, in words for admins (who may read the rules), by its id otherwise. */
export default function AutoRule({ id }: { id: string }) {
  const { t, language } = useI18n();
  const { me } = useAuth();
  const reasons = useReasons();
  const admin = Boolean(me?.roles.includes("admin"));
  const rule = useQuery({
    queryKey: ["compensation-rules", id],
    queryFn: ({ signal }) => api.get<Rule>(`/compensation-rules/${id}`, undefined, signal),
    enabled: admin,
    retry: false,
    staleTime: 5 * 60_000,
  });
  if (!rule.data) return <>{t("comp.ruleId", { id: id.slice(0, 8) })}</>;
  const { reason_code, kind, params, decision } = rule.data;
  const outcome = params.outcome ? outcomeName(params.outcome, t) : "";
  const condition = kind === "min_calls_with_outcome"
    ? t("comp.rule.minCalls", { count: params.min_calls ?? 0, outcome })
    : t("comp.rule.duplicate");
  return <>{`${reasonName(reasons.data, reason_code, language)}: ${condition} → ${t(`comp.status.${decision}`)}`}</>;
}
