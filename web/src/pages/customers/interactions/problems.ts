import { type FormInstance } from "antd";
import { useFeedback } from "../../../lib/feedback";
import type { Dayjs } from "dayjs";
import { ApiError } from "../../../api/client";
import { useT } from "../../../i18n/I18nProvider";

/** Show an API problem: per-field errors on the form's fields when it has them, the rest as a message. */
export function useProblem() {
  const { message } = useFeedback();
  const t = useT();
  return (error: unknown, form?: FormInstance) => {
    if (error instanceof ApiError) {
      if (error.status === 412) {
        void message.error(t("common.versionConflict"));
        return;
      }
      const fields = form ? error.errors.filter((problem) => problem.field && form.getFieldInstance(problem.field)) : [];
      if (form && fields.length) {
        form.setFields(fields.map((problem) => ({ name: problem.field, errors: [problem.message] })));
        return;
      }
      void message.error(error.detail);
      return;
    }
    void message.error(t("common.error"));
  };
}

/** The API reads date-times without an offset as Vietnamese local time. */
export function localDateTime(value: Dayjs): string {
  return value.format("YYYY-MM-DDTHH:mm:ss");
}
