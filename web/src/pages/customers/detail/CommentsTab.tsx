import { useMemo, useState } from "react";
import { Alert, Button, Card, Empty, Input, Segmented, Space, Spin, Switch, Typography } from "antd";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useSearchParams } from "../../../lib/router";
import { api, type Page } from "../../../api/client";
import type { Customer } from "../../../api/types";
import { hasRole, useAuth } from "../../../auth/AuthProvider";
import { useT } from "../../../i18n/I18nProvider";
import { CommentComposer } from "../interactions/CommentComposer";
import { CommentItem } from "../interactions/CommentItem";
import { PersonSelect } from "../interactions/people";
import type { Comment } from "../interactions/types";

type ReadFilter = "all" | "unread" | "read";

/** "Trao đổi": comments with #hashtags and @mentions, their acknowledgements, filters (seed 003). */
export default function CommentsTab({ customer }: { customer: Customer }) {
  const t = useT();
  const { me } = useAuth();
  const [searchParams] = useSearchParams();
  const highlighted = searchParams.get("comment");
  const [author, setAuthor] = useState<string | undefined>();
  const [hashtag, setHashtag] = useState("");
  const [read, setRead] = useState<ReadFilter>("all");
  const [deleted, setDeleted] = useState(false);
  const mayViewDeleted = hasRole(me, "manager", "admin");
  const params = { author_id: author, hashtag: hashtag || undefined,
                   read: read === "all" ? undefined : read === "read", deleted: deleted || undefined };
  const comments = useInfiniteQuery({
    queryKey: ["customer", customer.id, "comments", params],
    queryFn: ({ pageParam, signal }) => api.get<Page<Comment>>(`/customers/${customer.id}/comments`,
      { ...params, limit: 30, cursor: pageParam ?? undefined }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
    // the author sees a colleague's acknowledgement (the name turning green) without reloading
    refetchInterval: (query) => query.state.data?.pages.some((page) => page.items.some((comment) =>
      comment.author_id === me?.id && comment.mentions.some((mention) => !mention.acknowledged_at))) ? 10_000 : false,
  });
  const items = useMemo(() => comments.data?.pages.flatMap((page) => page.items) ?? [], [comments.data]);
  const knownHashtags = useMemo(() => [...new Set(items.flatMap((comment) => comment.hashtags))], [items]);

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Card size="small"><CommentComposer customerId={customer.id} knownHashtags={knownHashtags} /></Card>
      <Space wrap>
        <PersonSelect label={t("ix.comment.filterAuthor")} prefix={`${t("ix.comment.filterAuthor")}:`} value={author} onChange={setAuthor} />
        <Input.Search aria-label={t("ix.comment.filterHashtag")} placeholder={t("ix.comment.filterHashtag")} allowClear
                      style={{ width: 200 }} onSearch={(value) => setHashtag(value.replace(/^#/, "").trim())} />
        <Segmented<ReadFilter> aria-label={t("ix.comment.filterRead")} value={read} onChange={setRead} options={[
          { value: "all", label: t("common.all") }, { value: "unread", label: t("ix.comment.unread") },
          { value: "read", label: t("ix.comment.read") }]} />
        {mayViewDeleted && (
          <label style={{ display: "inline-flex", gap: 8, alignItems: "center" }}>
            <Switch checked={deleted} onChange={setDeleted} size="small" />
            <Typography.Text>{t("ix.comment.showDeleted")}</Typography.Text>
          </label>
        )}
      </Space>
      {comments.error && <Alert type="error" title={comments.error.message} />}
      {comments.isLoading ? <Spin /> : items.length === 0 ? <Empty description={t("ix.comment.empty")} /> : (
        <Space orientation="vertical" style={{ width: "100%" }}>
          {items.map((comment) => <CommentItem key={comment.id} comment={comment} highlighted={comment.id === highlighted} />)}
        </Space>
      )}
      {comments.hasNextPage && (
        <Button onClick={() => void comments.fetchNextPage()} loading={comments.isFetchingNextPage}>{t("common.loadMore")}</Button>
      )}
    </Space>
  );
}
