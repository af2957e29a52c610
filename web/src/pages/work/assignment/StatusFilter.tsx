import { Segmented } from "antd";
import type { Assignment } from "../../../api/types";
import { useT } from "../../../i18n/I18nProvider";

export type StatusChoice = Assignment["status"] | "all";

const CHOICES: StatusChoice[] = ["offered", "accepted", "declined", "expired", "all"];

export function StatusFilter({ value, onChange }: { value: StatusChoice; onChange: (value: StatusChoice) => void }) {
  const t = useT();
  return (
    <Segmented<StatusChoice> aria-label={t("work.filterStatus")} value={value} onChange={onChange}
                             options={CHOICES.map((choice) => ({ value: choice, label: t(`work.status.${choice}`) }))}
                             style={{ marginBottom: 12, maxWidth: "100%", overflowX: "auto" }} />
  );
}
