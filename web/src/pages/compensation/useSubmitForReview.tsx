import { useState } from "react";
import { CheckCircleFilled } from "@ant-design/icons";
import { api, ApiError, newKey } from "../../api/client";
import { useI18n } from "../../i18n/I18nProvider";
import { useFeedback } from "../../lib/feedback";
import { reasonName } from "./logic";
import { useReasons, useRefreshCompensation } from "./queries";
import type { Batch, LeadPackage, ReviewSubmission } from "./types";

/** "Gửi xét duyệt" (seed 000, steps 7–9): the drafts' summary by reason to confirm, a second
 * confirmation because it cannot be undone, then the batch and the success dialog. */
export function useSubmitForReview(pack: LeadPackage | undefined): { submit: () => void; pending: boolean } {
  const { t, language } = useI18n();
  const { message, modal } = useFeedback();
  const reasons = useReasons();
  const refresh = useRefreshCompensation();
  const [pending, setPending] = useState(false);

  const fail = (error: unknown) => {
    if (error instanceof ApiError && error.code === "confirmation_stale") message.error(t("comp.staleToken"));
    else message.error(error instanceof Error ? error.message : String(error));
    refresh();
  };

  const send = async (submission: ReviewSubmission) => {
    try {
      await api.post<Batch>("/compensation-batches", {
        package_id: pack!.id, confirmation_token: submission.confirmation_token,
      }, { idempotencyKey: newKey() });
      refresh();
      modal.confirm({
        type: "success", okCancel: false, icon: <CheckCircleFilled style={{ color: "#389e0d" }} />,
        title: t("comp.submitted"), content: t("comp.submittedDetail"),
        okText: t("comp.ok"),
      });
    } catch (error) {
      fail(error);
    }
  };

  const second = (submission: ReviewSubmission) => modal.confirm({
    title: t("comp.secondConfirmTitle"),
    content: t("comp.secondConfirm", { count: submission.count }),
    okText: t("comp.ok"),
    cancelText: t("common.cancel"),
    onOk: () => send(submission),
  });

  const submit = async () => {
    if (!pack) return;
    setPending(true);
    try {
      const submission = await api.post<ReviewSubmission>(`/lead-packages/${pack.id}/review-submission`, undefined,
                                                          { idempotencyKey: newKey() });
      modal.confirm({
        title: t("comp.submitConfirmTitle"),
        content: (
          <div data-testid="submission-summary">
            <p>{t("comp.submitConfirm", { count: submission.count, name: pack.name })}</p>
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {submission.summary.map((line) => (
                <li key={line.reason_code}>
                  {t("comp.summaryLine", { reason: reasonName(reasons.data, line.reason_code, language), count: line.count })}
                </li>
              ))}
            </ul>
          </div>
        ),
        okText: t("comp.ok"),
        cancelText: t("common.cancel"),
        onOk: () => second(submission),
      });
    } catch (error) {
      fail(error);
    } finally {
      setPending(false);
    }
  };

  return { submit: () => void submit(), pending };
}
