import { Descriptions, Result } from "antd";
import { useT } from "../../../i18n/I18nProvider";
import type { DistributionResult } from "../../work/assignment/types";

/** What the service did: how many customers matched, how many were handed over, and those no rep
 * covers (by province) or that went round robin (by unit). */
export function AssignResult({ result, count }: { result: DistributionResult; count: number }) {
  const t = useT();
  const assigned = result.assigned ?? result.assignments.reduce((sum, item) => sum + item.customer_count, 0);
  return (
    <Result status="success" title={t("customers.assign.resultTitle")} style={{ padding: 16 }}
            subTitle={t("customers.assign.resultReps", { count: result.assignments.length })}
            extra={(
              <Descriptions bordered size="small" column={1} data-testid="assign-result" items={[
                { key: "matched", label: t("customers.assign.resultMatched"), children: result.matched ?? count },
                { key: "assigned", label: t("customers.assign.resultAssigned"), children: assigned },
                ...(result.uncovered?.count ? [{ key: "uncovered", label: t("customers.assign.resultUncovered"),
                                                 children: result.uncovered.count }] : []),
                ...(result.fallback ? [{ key: "fallback", label: t("customers.assign.resultFallback"),
                                         children: result.fallback }] : []),
              ]} />
            )} />
  );
}
