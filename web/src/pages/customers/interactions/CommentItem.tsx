import { useEffect, useRef, useState } from "react";
import { Button, Card, Input, Popconfirm, Space, Tag, Typography } from "antd";
import { useFeedback } from "../../../lib/feedback";
import { CheckOutlined, DeleteOutlined, EditOutlined, EyeOutlined, PaperClipOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../api/client";
import { useAuth } from "../../../auth/AuthProvider";
import { useT } from "../../../i18n/I18nProvider";
import { formatDateTime } from "../../../lib/format";
import { CommentText } from "./CommentText";
import { downloadFile } from "./download";
import { MentionName } from "./MentionName";
import { PersonName } from "./people";
import { useProblem } from "./problems";
import type { Comment } from "./types";
import { ToneTag } from "./ToneTag";

export function CommentItem({ comment, highlighted }: { comment: Comment; highlighted: boolean }) {
  const t = useT();
  const { me } = useAuth();
  const { message } = useFeedback();
  const problem = useProblem();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(comment.text);
  const ref = useRef<HTMLDivElement>(null);
  const mine = comment.author_id === me?.id;
  const myMention = comment.mentions.find((mention) => mention.user_id === me?.id);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["customer", comment.customer_id, "comments"] });

  const settled = () => {
    void refresh();
    void queryClient.invalidateQueries({ queryKey: ["notifications"] });
  };
  // Marking read runs by itself (opening the comment from a notification does it): sharing the
  // buttons' mutation put "Xác nhận đã đọc" in its loading state meanwhile, and antd drops a click
  // on a loading button — a rep's acknowledgement was lost so.
  const read = useMutation({
    mutationFn: () => api.post(`/comments/${comment.id}/read`, undefined),
    onError: (error) => problem(error),
    onSettled: settled,
  });
  const act = useMutation({
    mutationFn: async (action: "ack" | "edit" | "delete") => {
      if (action === "ack") return api.post(`/comments/${comment.id}/acks`, undefined);
      if (action === "edit") return api.patch(`/comments/${comment.id}`, { text: draft.trim() }, comment.version);
      return api.delete(`/comments/${comment.id}`, comment.version);
    },
    onSuccess: (_, action) => {
      if (action === "ack") void message.success(t("ix.comment.acknowledged"));
      if (action === "edit") setEditing(false);
      settled();
    },
    onError: (error) => {
      problem(error);
      void refresh();
    },
  });

  const markRead = read.mutate;
  useEffect(() => {
    if (!highlighted) return;
    ref.current?.scrollIntoView({ block: "center" });
    if (!comment.read) markRead();
  }, [highlighted, comment.read, markRead]);

  const deleted = Boolean(comment.deleted_at);
  return (
    <Card ref={ref} size="small" data-testid="comment" data-comment-id={comment.id}
          style={{ borderColor: highlighted ? "#0958d9" : undefined, background: comment.read ? undefined : "#f0f7ff" }}>
      <Space wrap size={[8, 0]}>
        <Typography.Text strong><PersonName id={comment.author_id} /></Typography.Text>
        <Typography.Text type="secondary">{formatDateTime(comment.created_at)}</Typography.Text>
        {!comment.read && <ToneTag tone="blue">{t("ix.comment.unread")}</ToneTag>}
        {comment.ticket_type && <Tag>{t(comment.ticket_type === "care_ticket" ? "ix.care.ticket" : "ix.support.ticket")}</Tag>}
        {deleted && <ToneTag tone="red">{t("ix.comment.deleted")}</ToneTag>}
      </Space>
      {editing ? (
        <Space orientation="vertical" style={{ width: "100%", marginTop: 8 }}>
          <Input.TextArea aria-label={t("ix.comment.label")} value={draft} onChange={(event) => setDraft(event.target.value)}
                          rows={3} maxLength={5000} />
          <Space>
            <Button type="primary" onClick={() => act.mutate("edit")} loading={act.isPending} disabled={!draft.trim()}>
              {t("common.save")}
            </Button>
            <Button onClick={() => { setEditing(false); setDraft(comment.text); }}>{t("common.cancel")}</Button>
          </Space>
        </Space>
      ) : <div style={{ marginTop: 8 }}><CommentText text={comment.text} /></div>}
      {comment.mentions.length > 0 && (
        <div>
          <Typography.Text type="secondary">{t("ix.comment.mentioned")}: </Typography.Text>
          {comment.mentions.map((mention) => <MentionName key={mention.user_id} mention={mention} />)}
        </div>
      )}
      {comment.attachments.length > 0 && (
        <Space wrap>
          {comment.attachments.map((file) => (
            <Button key={file.id} size="small" type="link" icon={<PaperClipOutlined />}
                    onClick={() => downloadFile(`/attachments/${file.id}/content`, file.filename).catch(problem)}>
              {file.filename}
            </Button>
          ))}
        </Space>
      )}
      {!deleted && (
        <Space wrap style={{ marginTop: 8 }}>
          {myMention && !myMention.acknowledged_at && (
            <Button type="primary" size="small" icon={<CheckOutlined />} onClick={() => act.mutate("ack")} loading={act.isPending}>
              {t("ix.comment.acknowledge")}
            </Button>
          )}
          {!comment.read && (
            <Button size="small" icon={<EyeOutlined />} onClick={() => markRead()} loading={read.isPending}>{t("ix.comment.markRead")}</Button>
          )}
          {mine && !editing && (
            <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(true)}>{t("common.edit")}</Button>
          )}
          {mine && (
            <Popconfirm title={t("ix.comment.deleteConfirm")} okText={t("common.confirm")} cancelText={t("common.cancel")}
                        onConfirm={() => act.mutate("delete")}>
              <Button size="small" danger icon={<DeleteOutlined />}>{t("common.delete")}</Button>
            </Popconfirm>
          )}
        </Space>
      )}
    </Card>
  );
}
