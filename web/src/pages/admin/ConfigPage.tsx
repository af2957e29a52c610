import { ConfigItemsPage } from "./ConfigItemsPage";
import { GROUPS, LABELS, STATUSES } from "./configKinds";

const KINDS = { statuses: STATUSES, labels: LABELS, groups: GROUPS };

export default function ConfigPage({ kind }: { kind: keyof typeof KINDS }) {
  return <ConfigItemsPage key={kind} kind={KINDS[kind]} />;
}
