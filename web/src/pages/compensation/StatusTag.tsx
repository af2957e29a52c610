import { useT } from "../../i18n/I18nProvider";
import { ToneTag } from "../customers/interactions/ToneTag";
import { BATCH_TONES, REQUEST_TONES } from "./logic";
import type { BatchStatus, RequestStatus } from "./types";

export function RequestStatusTag({ status }: { status: RequestStatus }) {
  const t = useT();
  return (
    <span data-testid="compensation-status" data-status={status}>
      <ToneTag tone={REQUEST_TONES[status] ?? "default"}>{t(`comp.status.${status}`)}</ToneTag>
    </span>
  );
}

export function BatchStatusTag({ status }: { status: BatchStatus }) {
  const t = useT();
  return (
    <span data-testid="batch-status" data-status={status}>
      <ToneTag tone={BATCH_TONES[status] ?? "default"}>{t(`comp.batch.${status}`)}</ToneTag>
    </span>
  );
}
