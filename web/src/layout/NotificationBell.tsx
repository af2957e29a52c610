import { useEffect } from "react";
import { Badge, Button } from "antd";
import { BellOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "../lib/router";
import { api, url } from "../api/client";
import { session } from "../auth/session";
import { useT } from "../i18n/I18nProvider";
import { currentLanguage } from "../i18n/language";
import { followEventStream } from "../lib/sse";

interface UnreadCount {
  unread_count: number;
}

/** The bell: my unread notifications, kept live by the notification stream (SSE read with fetch, so
 *  that it carries the bearer token); it stops when the shell unmounts (sign-out). */
export function NotificationBell() {
  const t = useT();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const unread = useQuery({
    queryKey: ["notifications", "unread"],
    queryFn: () => api.get<UnreadCount>("/notifications", { unread: true, limit: 1 }),
    staleTime: 60_000,
  });

  useEffect(() => {
    const controller = new AbortController();
    const refresh = () => void queryClient.invalidateQueries({ queryKey: ["notifications"] });
    void followEventStream({
      url: url("/notifications/stream"),
      token: () => session.accessToken(),
      renew: () => session.renew(),
      headers: { "Accept-Language": currentLanguage() },
      signal: controller.signal,
      onOpen: refresh,
      onEvent: (event) => { if (event.event === "notification") refresh(); },
    });
    return () => controller.abort();
  }, [queryClient]);

  const count = unread.data?.unread_count ?? 0;
  return (
    <Badge count={count} size="small" data-testid="notification-count"
           data-count={unread.data ? count : undefined /* unknown until read: not 0 */}>
      <Button type="text" icon={<BellOutlined />} onClick={() => navigate("/notifications")}
              aria-label={count ? t("nav.unread", { count }) : t("nav.notifications")} />
    </Badge>
  );
}
