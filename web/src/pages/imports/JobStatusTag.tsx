import { useT } from "../../i18n/I18nProvider";
import { ToneTag, type Tone } from "../customers/interactions/ToneTag";
import type { ImportStatus } from "./types";

const TONES: Record<ImportStatus, Tone> = {
  queued: "default", running: "blue", completed: "green", failed: "red", cancelled: "orange",
};

export function JobStatusTag({ status }: { status: ImportStatus }) {
  const t = useT();
  return (
    <span data-testid="import-status" data-status={status}>
      <ToneTag tone={TONES[status]}>{t(`imp.status.${status}`)}</ToneTag>
    </span>
  );
}
