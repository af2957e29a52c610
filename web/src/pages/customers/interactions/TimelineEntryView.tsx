import type { ReactNode } from "react";
import { Rate, Space, Tag, Typography } from "antd";
import {
  CalendarOutlined, CloudUploadOutlined, CommentOutlined, CustomerServiceOutlined, EditOutlined,
  FileProtectOutlined, FileTextOutlined, HeartOutlined, PhoneOutlined, PlusCircleOutlined, RollbackOutlined,
  StarOutlined, StopOutlined, TagOutlined, TrophyOutlined, UserSwitchOutlined,
} from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { api } from "../../../api/client";
import { useI18n, useT } from "../../../i18n/I18nProvider";
import type { MessageKey } from "../../../i18n/messages";
import { formatDateTime } from "../../../lib/format";
import { VISUALLY_HIDDEN } from "./MentionName";
import { PersonName } from "./people";
import type { TimelineEntry } from "./types";
import { ToneTag } from "./ToneTag";

export const TYPE_ICONS: Record<string, ReactNode> = {
  created: <PlusCircleOutlined />, edited: <EditOutlined />, classified: <TagOutlined />,
  assigned: <UserSwitchOutlined />, recalled: <RollbackOutlined />, potential: <StarOutlined />,
  contract_closed: <TrophyOutlined />, refused: <StopOutlined />, call_in: <PhoneOutlined />,
  call_out: <PhoneOutlined rotate={90} />, call_missed: <PhoneOutlined />, appointment: <CalendarOutlined />,
  note: <FileTextOutlined />, care: <HeartOutlined />, support: <CustomerServiceOutlined />,
  comment: <CommentOutlined />, compensation: <FileProtectOutlined />, imported: <CloudUploadOutlined />,
};

export const TYPE_COLORS: Record<string, string> = {
  call_missed: "red", refused: "red", contract_closed: "green", call_in: "green", potential: "green",
  recalled: "gray", edited: "gray", created: "blue",
};

export function typeLabel(t: ReturnType<typeof useT>, type: string): string {
  return t(`ix.type.${type}` as MessageKey);
}

interface CustomerStatus {
  key: string;
  name: string;
  name_en?: string | null;
}

/** A status by its key, in the reader's language (the key itself until the list is known). */
function StatusName({ statusKey }: { statusKey: string }) {
  const { language } = useI18n();
  const statuses = useQuery({ queryKey: ["customer-statuses"], staleTime: 5 * 60_000,
                              queryFn: () => api.get<CustomerStatus[]>("/customer-statuses") });
  const status = statuses.data?.find((item) => item.key === statusKey);
  return <>{(language === "en" && status?.name_en) || status?.name || statusKey}</>;
}

function text(value: unknown): string {
  return value === null || value === undefined ? "" : String(value);
}

function duration(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, "0")}`;
}

/** What happened, in the guides' words: the call sheet, the status change, the ticket… */
function Details({ entry }: { entry: TimelineEntry }) {
  const t = useT();
  const data = entry.data;
  if (entry.type.startsWith("call_") && data.outcome) {
    return (
      <Space wrap size={[12, 4]} data-testid="call-sheet">
        <span>{t(`ix.call.direction.${text(data.direction)}` as MessageKey)}</span>
        <Tag>{t(`ix.call.outcome.${text(data.outcome)}` as MessageKey)}</Tag>
        <span>{t("ix.call.duration")}: {duration(Number(data.duration_seconds ?? 0))}</span>
        {typeof data.rating === "number" && (
          <span>
            {t("ix.call.rating")}:{" "}
            <Rate disabled value={data.rating} style={{ fontSize: 14 }} aria-label={t("ix.call.rating")} />
            <span style={VISUALLY_HIDDEN}>
              {data.rating}/5
            </span>
          </span>
        )}
      </Space>
    );
  }
  if (entry.type === "classified" && (data.from || data.to)) {
    return (
      <span>
        {data.from ? <StatusName statusKey={text(data.from)} /> : "—"} → <strong><StatusName statusKey={text(data.to)} /></strong>
      </span>
    );
  }
  if (entry.type === "classified" && (data.labels_added || data.labels_removed)) {
    const added = (data.labels_added as string[] | undefined) ?? [];
    const removed = (data.labels_removed as string[] | undefined) ?? [];
    return (
      <Space wrap>
        {added.map((label) => <ToneTag key={`+${label}`} tone="green">+ {label}</ToneTag>)}
        {removed.map((label) => <Tag key={`-${label}`}>− {label}</Tag>)}
      </Space>
    );
  }
  if ((entry.type === "assigned" || entry.type === "recalled") && (data.to_owner_id || data.from_owner_id)) {
    return (
      <span>
        {entry.type === "recalled" && data.cause === "sla_missed" && (
          <span data-testid="recall-cause"><ToneTag tone="orange">{t("ix.timeline.cause.sla_missed")}</ToneTag></span>
        )}
        {t("ix.timeline.owner")}: <PersonName id={text(data.from_owner_id) || null} fallback="—" /> →{" "}
        <strong><PersonName id={text(data.to_owner_id) || null} fallback="—" /></strong>
      </span>
    );
  }
  if (entry.type === "recalled" && data.cause === "sla_missed") {
    return <span data-testid="recall-cause"><ToneTag tone="orange">{t("ix.timeline.cause.sla_missed")}</ToneTag></span>;
  }
  if (entry.type === "edited" && Array.isArray(data.changed)) {
    return <span>{t("ix.timeline.changed")}: {(data.changed as string[]).join(", ")}</span>;
  }
  if (entry.type === "appointment" && data.starts_at) {
    return <span>{formatDateTime(text(data.starts_at))}</span>;
  }
  if (entry.type === "care" && data.method) {
    return <Tag>{t(`ix.care.method.${text(data.method)}` as MessageKey)}</Tag>;
  }
  if (entry.type === "support" && data.title) {
    return <span>{text(data.title)}{data.status ? <Tag style={{ marginLeft: 8 }}>{t(`ix.support.status.${text(data.status)}` as MessageKey)}</Tag> : null}</span>;
  }
  if (entry.type === "comment" && Array.isArray(data.hashtags) && data.hashtags.length) {
    return <Space wrap>{(data.hashtags as string[]).map((tag) => <Tag key={tag}>#{tag}</Tag>)}</Space>;
  }
  return null;
}

export function TimelineEntryView({ entry }: { entry: TimelineEntry }) {
  const t = useT();
  return (
    <div data-testid="timeline-entry" data-type={entry.type}>
      <Space wrap size={[8, 0]}>
        <Typography.Text strong>{typeLabel(t, entry.type)}</Typography.Text>
        <Typography.Text type="secondary">
          {formatDateTime(entry.occurred_at)} · <PersonName id={entry.actor_id} fallback={t("ix.timeline.system")} />
        </Typography.Text>
      </Space>
      <div><Details entry={entry} /></div>
      {entry.note && <Typography.Paragraph style={{ whiteSpace: "pre-wrap", marginBottom: 0 }}>{entry.note}</Typography.Paragraph>}
    </div>
  );
}
