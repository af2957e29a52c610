import { useFeedback } from "../../../lib/feedback";
import { useCallback } from "react";
import { ApiError } from "../../../api/client";
import { useT } from "../../../i18n/I18nProvider";

/** An API problem as a message in the user's language (the API's `detail`). */
export function useShowError() {
  const { message } = useFeedback();
  const t = useT();
  return useCallback((error: unknown) => {
    void message.error(error instanceof ApiError ? error.detail : t("common.error"));
  }, [message, t]);
}
