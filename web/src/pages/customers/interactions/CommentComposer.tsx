import { useState } from "react";
import { Button, Form, Mentions, Space, Upload, type UploadFile } from "antd";
import { useFeedback } from "../../../lib/feedback";
import { PaperClipOutlined, SendOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, newKey } from "../../../api/client";
import { useT } from "../../../i18n/I18nProvider";
import { MAX_UPLOAD_BYTES } from "./AttachmentUpload";
import { uploadFile } from "./download";
import { usePeopleSearch } from "./people";
import { useProblem } from "./problems";
import type { Comment } from "./types";

/** "Trao đổi": a comment with @mentions (colleagues found as one types) and #hashtags, files attached. */
export function CommentComposer({ customerId, knownHashtags }: { customerId: string; knownHashtags: string[] }) {
  const t = useT();
  const { message } = useFeedback();
  const problem = useProblem();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ text: string }>();
  const [prefix, setPrefix] = useState("@");
  const [search, setSearch] = useState("");
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [key, setKey] = useState(newKey);
  const people = usePeopleSearch(search, prefix === "@");
  const options = prefix === "@"
    ? (people.data?.items ?? []).map((person) => ({
        value: person.username, key: person.id, label: `${person.full_name || person.username} (@${person.username})`,
      }))
    : [...new Set([...knownHashtags, ...(search ? [search] : [])])]
        .filter((tag) => tag.toLowerCase().includes(search.toLowerCase()))
        .slice(0, 10)
        .map((tag) => ({ value: tag, key: tag, label: `#${tag}` }));

  const send = useMutation({
    mutationFn: async (text: string) => {
      const comment = await api.post<Comment>(`/customers/${customerId}/comments`, { text }, { idempotencyKey: key });
      for (const file of files) {
        if (file.originFileObj) await uploadFile(`/comments/${comment.id}/attachments`, file.originFileObj);
      }
      return comment;
    },
    onSuccess: () => {
      void message.success(t("ix.comment.sent"));
      form.resetFields();
      setFiles([]);
      setKey(newKey());
    },
    onError: (error) => problem(error, form),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: ["customer", customerId, "comments"] });
      void queryClient.invalidateQueries({ queryKey: ["customer", customerId, "timeline"] });
      void queryClient.invalidateQueries({ queryKey: ["customer", customerId, "attachments"] });
    },
  });

  return (
    <Form form={form} name="comment" layout="vertical" onFinish={(values) => send.mutate(values.text.trim())}>
      <Form.Item name="text" label={t("ix.comment.label")} extra={t("ix.comment.hint")}
                 rules={[{ required: true, whitespace: true, message: t("ix.comment.required") }]}>
        <Mentions rows={3} prefix={["@", "#"]} maxLength={5000} placeholder={t("ix.comment.placeholder")}
                  filterOption={false} options={options} loading={prefix === "@" && people.isFetching}
                  onSearch={(text, trigger) => { setPrefix(trigger); setSearch(text); }} />
      </Form.Item>
      <Space wrap align="start">
        <Upload fileList={files} multiple beforeUpload={(file) => {
          if (file.size > MAX_UPLOAD_BYTES) {
            void message.error(t("ix.attachment.tooLarge", { name: file.name }));
            return Upload.LIST_IGNORE;
          }
          return false;
        }} onChange={({ fileList }) => setFiles(fileList)}>
          <Button icon={<PaperClipOutlined />}>{t("ix.comment.attach")}</Button>
        </Upload>
        <Button type="primary" htmlType="submit" icon={<SendOutlined />} loading={send.isPending}>{t("ix.comment.send")}</Button>
      </Space>
    </Form>
  );
}
