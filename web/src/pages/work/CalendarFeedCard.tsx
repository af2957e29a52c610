import { useState } from "react";
import { Alert, Button, Card, Input, Popconfirm, Space, Typography } from "antd";
import { useFeedback } from "../../lib/feedback";
import { CopyOutlined, LinkOutlined } from "@ant-design/icons";
import { useMutation } from "@tanstack/react-query";
import { api } from "../../api/client";
import { useT } from "../../i18n/I18nProvider";
import { useProblem } from "../customers/interactions/problems";

/** The private calendar-feed link to paste into Google Calendar (seed 002: "lịch Google làm việc").
 *  The API keeps only a hash of the token: a link is shown once, when made; making one again replaces it. */
export function CalendarFeedCard() {
  const t = useT();
  const { message } = useFeedback();
  const problem = useProblem();
  const [link, setLink] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () => api.post<{ url: string }>("/me/calendar-feed"),
    onSuccess: (feed) => setLink(new URL(feed.url, window.location.origin).toString()),
    onError: (error) => problem(error),
  });
  const revoke = useMutation({
    mutationFn: () => api.delete("/me/calendar-feed"),
    onSuccess: () => { setLink(null); void message.success(t("ix.calendar.revoked")); },
    onError: (error) => problem(error),
  });
  const copy = async () => {
    if (!link) return;
    try {
      await navigator.clipboard.writeText(link);
      void message.success(t("ix.calendar.copied"));
    } catch {
      void message.info(t("ix.calendar.copyByHand"));
    }
  };
  return (
    <Card size="small" title={<span><LinkOutlined /> {t("ix.calendar.title")}</span>} style={{ marginBottom: 16 }}>
      <Typography.Paragraph>{t("ix.calendar.explain")}</Typography.Paragraph>
      {link && (
        <Space.Compact style={{ width: "100%", marginBottom: 8 }}>
          <Input readOnly value={link} aria-label={t("ix.calendar.link")} onFocus={(event) => event.target.select()} />
          <Button icon={<CopyOutlined />} onClick={() => void copy()}>{t("ix.calendar.copy")}</Button>
        </Space.Compact>
      )}
      {link && <Alert type="info" showIcon title={t("ix.calendar.once")} style={{ marginBottom: 8 }} />}
      <Space wrap>
        <Popconfirm title={t("ix.calendar.rotateConfirm")} okText={t("common.confirm")} cancelText={t("common.cancel")}
                    onConfirm={() => create.mutate()}>
          <Button type="primary" loading={create.isPending}>{t("ix.calendar.create")}</Button>
        </Popconfirm>
        <Popconfirm title={t("ix.calendar.revokeConfirm")} okText={t("common.confirm")} cancelText={t("common.cancel")}
                    onConfirm={() => revoke.mutate()}>
          <Button danger loading={revoke.isPending}>{t("ix.calendar.revoke")}</Button>
        </Popconfirm>
      </Space>
    </Card>
  );
}
