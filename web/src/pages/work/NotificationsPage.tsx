import { Alert, Badge, Button, Empty, List, Space, Switch, Tabs, Typography } from "antd";
import { useFeedback } from "../../lib/feedback";
import { CheckOutlined } from "@ant-design/icons";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate, useSearchParams } from "../../lib/router";
import { api } from "../../api/client";
import { useT } from "../../i18n/I18nProvider";
import { formatDateTime, fromNow } from "../../lib/format";
import { notificationLink } from "../customers/interactions/notificationLink";
import { useProblem } from "../customers/interactions/problems";
import type { AppNotification, NotificationPage } from "../customers/interactions/types";
import { ToneTag } from "../customers/interactions/ToneTag";

/** "Thông báo": all of mine, or the important ones ("Quan trọng": I was mentioned, an offer waits…). */
export default function NotificationsPage() {
  const t = useT();
  const navigate = useNavigate();
  const { message } = useFeedback();
  const problem = useProblem();
  const queryClient = useQueryClient();
  const [searchParams, setSearchParams] = useSearchParams();
  const tab = searchParams.get("tab") === "important" ? "important" : "all";
  const unreadOnly = searchParams.get("unread") === "1";
  const params = { important: tab === "important" ? true : undefined, unread: unreadOnly ? true : undefined };
  const list = useInfiniteQuery({
    queryKey: ["notifications", "list", params],
    queryFn: ({ pageParam, signal }) => api.get<NotificationPage>("/notifications",
      { ...params, limit: 30, cursor: pageParam ?? undefined }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["notifications"] });
  const read = useMutation({
    mutationFn: (id: number) => api.post(`/notifications/${id}/read`, undefined),
    onSettled: refresh,
  });
  const readAll = useMutation({
    mutationFn: () => api.post<{ marked: number }>("/notifications/read-all", undefined),
    onSuccess: (result) => { void message.success(t("ix.notification.readAllDone", { count: result.marked })); },
    onError: (error) => problem(error),
    onSettled: refresh,
  });
  const open = (notification: AppNotification) => {
    if (!notification.read_at) read.mutate(notification.id);
    const link = notificationLink(notification);
    if (link) navigate(link);
  };
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const unread = list.data?.pages[0]?.unread_count ?? 0;
  const setParam = (name: string, value: string | null) => {
    const next = new URLSearchParams(searchParams);
    if (value) next.set(name, value); else next.delete(name);
    setSearchParams(next, { replace: true });
  };

  return (
    <section>
      <Typography.Title level={1} style={{ fontSize: 22 }}>{t("nav.notifications")}</Typography.Title>
      <Tabs activeKey={tab} onChange={(key) => setParam("tab", key === "important" ? "important" : null)} items={[
        { key: "all", label: t("common.all") },
        { key: "important", label: t("ix.notification.important") },
      ]} />
      <Space wrap style={{ marginBottom: 8 }}>
        <label style={{ display: "inline-flex", gap: 8, alignItems: "center" }}>
          <Switch size="small" checked={unreadOnly} onChange={(on) => setParam("unread", on ? "1" : null)} />
          {t("ix.notification.unreadOnly")}
        </label>
        <Button icon={<CheckOutlined />} onClick={() => readAll.mutate()} loading={readAll.isPending} disabled={unread === 0}>
          {t("ix.notification.readAll")}
        </Button>
      </Space>
      <Typography.Paragraph data-testid="unread-count">{t("ix.notification.unreadCount", { count: unread })}</Typography.Paragraph>
      {list.error && <Alert type="error" title={list.error.message} />}
      {items.length === 0 && !list.isLoading ? <Empty description={t("ix.notification.empty")} /> : (
        <List loading={list.isLoading} dataSource={items} rowKey="id" renderItem={(notification) => (
          <List.Item data-testid="notification" data-unread={notification.read_at ? "false" : "true"}
            actions={notification.read_at ? [] : [
              <Button key="read" size="small" type="link" onClick={() => read.mutate(notification.id)}>{t("ix.notification.markRead")}</Button>]}>
            <List.Item.Meta
              title={
                <Button type="link" style={{ padding: 0, height: "auto", whiteSpace: "normal", textAlign: "left", fontWeight: notification.read_at ? 400 : 600 }}
                        onClick={() => open(notification)}>
                  {!notification.read_at && <Badge status="processing" style={{ marginRight: 6 }} />}
                  {notification.title}
                </Button>
              }
              description={
                <Space orientation="vertical" size={0}>
                  {notification.body && <Typography.Text style={{ whiteSpace: "pre-wrap" }}>{notification.body}</Typography.Text>}
                  <Space size={4} wrap>
                    {notification.important && <ToneTag tone="red">{t("ix.notification.important")}</ToneTag>}
                    <Typography.Text type="secondary" title={formatDateTime(notification.created_at)}>{fromNow(notification.created_at)}</Typography.Text>
                  </Space>
                </Space>
              } />
          </List.Item>
        )} />
      )}
      {list.hasNextPage && <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>{t("common.loadMore")}</Button>}
    </section>
  );
}
