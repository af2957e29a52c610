import { Badge, type BadgeProps } from "antd";
import type { Assignment } from "../../../api/types";
import { useT } from "../../../i18n/I18nProvider";

const STATES: Record<Assignment["status"], BadgeProps["status"]> = {
  offered: "warning", accepted: "success", declined: "error", expired: "default",
};

/** The status as a coloured dot and the word in the text colour (coloured tag text fails contrast). */
export function AssignmentStatusTag({ status }: { status: Assignment["status"] }) {
  const t = useT();
  return <Badge status={STATES[status]} text={t(`work.status.${status}`)} />;
}
