// The wizard's form values and the import request they make.
import { cleanMapping } from "./mapping";
import type { ImportRequest } from "./types";

export interface WizardValues {
  mode: "quick" | "template";
  groupMode: "existing" | "new";
  groupId?: string;
  groupName?: string;
  groupDescription?: string;
  ownerId?: string;
  leadPackageId?: string;
  sheet?: number;
  startRow?: number;
  mapping?: Record<string, number | null | undefined>;
  dryRun?: boolean;
}

export const INITIAL_VALUES: WizardValues = { mode: "quick", groupMode: "existing", dryRun: false };

export function importRequest(uploadId: string, values: WizardValues): ImportRequest {
  const body: ImportRequest = { upload_id: uploadId, sheet: values.sheet ?? 0, dry_run: Boolean(values.dryRun) };
  if (values.groupMode === "new") {
    const description = values.groupDescription?.trim();
    body.new_group = { name: (values.groupName ?? "").trim(), ...(description ? { description } : {}) };
  } else if (values.groupId) {
    body.group_id = values.groupId;
  }
  if (values.ownerId) body.owner_id = values.ownerId;
  if (values.leadPackageId) body.lead_package_id = values.leadPackageId;
  if (values.mode === "template") {
    body.template = true;
  } else {
    body.start_row = values.startRow;
    body.mapping = cleanMapping(values.mapping ?? {});
  }
  return body;
}

/** An API field ("mapping.attributes.income", "new_group.name") as the wizard form's name path. */
export type WizardPath = ["mapping", string] | [keyof WizardValues];

export function formPath(field: string): WizardPath | null {
  if (field.startsWith("mapping.")) return ["mapping", field.slice("mapping.".length)];
  if (field === "new_group.name" || field === "new_group") return ["groupName"];
  if (field === "start_row") return ["startRow"];
  if (field === "group_id") return ["groupId"];
  if (field === "owner_id") return ["ownerId"];
  if (field === "lead_package_id") return ["leadPackageId"];
  return null;
}
