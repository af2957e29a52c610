// How an API problem reaches the admin: field errors on the form's fields, a stale version as an
// offer to reload, anything else as a message in the user's language (the API's `detail`).
import { type FormInstance } from "antd";
import { useFeedback } from "../../lib/feedback";
import { useCallback } from "react";
import { ApiError } from "../../api/client";
import { useT } from "../../i18n/I18nProvider";

type NamePath = (string | number)[];

function namePath(field: string): NamePath {
  return field.replace(/^body\./, "").split(".").map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

export interface ProblemOptions {
  form?: FormInstance;
  /** problem codes that belong to one field, e.g. { username_exists: "username" } */
  codeFields?: Record<string, string>;
  /** called after the user chose to reload on a version conflict */
  reload?: () => void;
}

export function useProblem() {
  const { message, modal } = useFeedback();
  const t = useT();
  return useCallback((error: unknown, options: ProblemOptions = {}) => {
    const { form, codeFields, reload } = options;
    if (!(error instanceof ApiError)) {
      void message.error(t("common.error"));
      return;
    }
    if (error.status === 412) {
      modal.confirm({
        title: t("admin.conflictTitle"), content: t("common.versionConflict"),
        okText: t("common.reload"), cancelText: t("common.close"), onOk: () => reload?.(),
      });
      return;
    }
    const registered = form ? Object.keys(form.getFieldsValue()) : [];
    const onForm = error.errors.filter((problem) => registered.includes(String(namePath(problem.field)[0])));
    const codeField = codeFields?.[error.code];
    if (form && codeField && registered.includes(codeField)) {
      form.setFields([{ name: codeField, errors: [error.detail] }]);
      return;
    }
    if (form && onForm.length > 0) {
      form.setFields(onForm.map((problem) => ({ name: namePath(problem.field), errors: [problem.message] })));
      if (onForm.length === error.errors.length) return;
    }
    void message.error(error.detail);
  }, [message, modal, t]);
}
