import { Badge, Button } from "antd";
import { BellOutlined } from "@ant-design/icons";
import { useNavigate } from "react-router";
import { useT } from "../i18n/I18nProvider";

/** The bell; the notifications feature makes it live (unread count, SSE stream). */
export function NotificationBell() {
  const t = useT();
  const navigate = useNavigate();
  return (
    <Badge count={0} size="small">
      <Button type="text" icon={<BellOutlined />} aria-label={t("nav.notifications")} onClick={() => navigate("/notifications")} />
    </Badge>
  );
}
