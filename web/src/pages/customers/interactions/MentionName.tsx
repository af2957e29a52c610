import { Tooltip } from "antd";
import { CheckCircleFilled, ClockCircleOutlined } from "@ant-design/icons";
import { useT } from "../../../i18n/I18nProvider";
import { formatDateTime } from "../../../lib/format";
import { usePerson } from "./people";
import type { Mention } from "./types";

export const ACKNOWLEDGED_GREEN = "#237804";
export const VISUALLY_HIDDEN = { position: "absolute", width: 1, height: 1, overflow: "hidden", clip: "rect(0 0 0 0)",
                                 whiteSpace: "nowrap" } as const;

/** A mentioned colleague: their name turns green once they acknowledged (seed 003). */
export function MentionName({ mention }: { mention: Mention }) {
  const t = useT();
  const person = usePerson(mention.user_id);
  const name = person.data?.full_name || mention.username;
  const acknowledged = Boolean(mention.acknowledged_at);
  const status = acknowledged
    ? t("ix.comment.acknowledgedAt", { time: formatDateTime(mention.acknowledged_at) })
    : t("ix.comment.notAcknowledged");
  return (
    <Tooltip title={status}>
      <span data-testid="mention" data-acknowledged={acknowledged ? "true" : "false"}
            style={{ color: acknowledged ? ACKNOWLEDGED_GREEN : undefined, fontWeight: acknowledged ? 600 : undefined,
                     marginRight: 8, whiteSpace: "nowrap" }}>
        {acknowledged ? <CheckCircleFilled /> : <ClockCircleOutlined />} {name}
        <span style={VISUALLY_HIDDEN}> ({status})</span>
      </span>
    </Tooltip>
  );
}
