import { useMemo, useState } from "react";
import { Alert, Button, Card, Empty, Select, Space, Spin, Timeline } from "antd";
import { PhoneOutlined } from "@ant-design/icons";
import { useInfiniteQuery } from "@tanstack/react-query";
import { api, type Page } from "../../../api/client";
import type { Customer } from "../../../api/types";
import { useT } from "../../../i18n/I18nProvider";
import { CallSheetModal } from "../interactions/CallSheetModal";
import { NoteForm } from "../interactions/NoteForm";
import { PersonName } from "../interactions/people";
import { TimelineEntryView, TYPE_COLORS, TYPE_ICONS, typeLabel } from "../interactions/TimelineEntryView";
import { TIMELINE_TYPES, type TimelineEntry } from "../interactions/types";

const PAGE = 30;

/** "Lịch sử tương tác": every interaction with the customer, newest first, by type and by author. */
export default function HistoryTab({ customer }: { customer: Customer }) {
  const t = useT();
  const [types, setTypes] = useState<string[]>([]);
  const [author, setAuthor] = useState<string | undefined>();
  const [calling, setCalling] = useState(false);
  const timeline = useInfiniteQuery({
    queryKey: ["customer", customer.id, "timeline", { types }],
    queryFn: ({ pageParam, signal }) => api.get<Page<TimelineEntry>>(`/customers/${customer.id}/timeline`,
      { type: types, limit: PAGE, cursor: pageParam ?? undefined }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });
  const entries = useMemo(() => timeline.data?.pages.flatMap((page) => page.items) ?? [], [timeline.data]);
  const authors = useMemo(() => [...new Set(entries.map((entry) => entry.actor_id).filter(Boolean))] as string[], [entries]);
  const shown = author ? entries.filter((entry) => entry.actor_id === author) : entries;

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Card size="small">
        <NoteForm customerId={customer.id} />
        <Button icon={<PhoneOutlined />} style={{ marginTop: 8 }} onClick={() => setCalling(true)}>{t("ix.call.log")}</Button>
      </Card>
      <CallSheetModal customerId={customer.id} open={calling} onClose={() => setCalling(false)} />
      <Space wrap>
        <Select mode="multiple" allowClear aria-label={t("ix.timeline.filterType")} prefix={`${t("ix.timeline.filterType")}:`}
                style={{ minWidth: 240 }} value={types} onChange={setTypes} maxTagCount="responsive"
                options={TIMELINE_TYPES.map((type) => ({ value: type, label: typeLabel(t, type) }))} />
        <Select allowClear aria-label={t("ix.timeline.filterAuthor")} prefix={`${t("ix.timeline.filterAuthor")}:`}
                style={{ minWidth: 200 }} value={author} onChange={setAuthor}
                options={authors.map((id) => ({ value: id, label: <PersonName id={id} /> }))} />
      </Space>
      {timeline.error && <Alert type="error" title={timeline.error.message} />}
      {timeline.isLoading ? <Spin /> : shown.length === 0 ? <Empty description={t("ix.timeline.empty")} /> : (
        <Timeline items={shown.map((entry) => ({
          key: entry.id, icon: TYPE_ICONS[entry.type], color: TYPE_COLORS[entry.type] ?? "blue",
          content: <TimelineEntryView entry={entry} />,
        }))} />
      )}
      {timeline.hasNextPage && (
        <Button onClick={() => void timeline.fetchNextPage()} loading={timeline.isFetchingNextPage}>{t("common.loadMore")}</Button>
      )}
    </Space>
  );
}
