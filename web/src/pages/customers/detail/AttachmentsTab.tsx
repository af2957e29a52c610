import { Alert, Button, Popconfirm, Space, Table, Tag } from "antd";
import { DeleteOutlined, DownloadOutlined } from "@ant-design/icons";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { api, type Page } from "../../../api/client";
import type { Customer } from "../../../api/types";
import { useT } from "../../../i18n/I18nProvider";
import { formatDateTime } from "../../../lib/format";
import { AttachmentUpload } from "../interactions/AttachmentUpload";
import { downloadFile, fileSize } from "../interactions/download";
import { PersonName } from "../interactions/people";
import { useProblem } from "../interactions/problems";
import type { Attachment } from "../interactions/types";
import { EmptyText } from "../interactions/ToneTag";

/** "Tệp đính kèm": the customer's files, those of its comments and tickets too; upload, download. */
export default function AttachmentsTab({ customer }: { customer: Customer }) {
  const t = useT();
  const problem = useProblem();
  const queryClient = useQueryClient();
  const files = useInfiniteQuery({
    queryKey: ["customer", customer.id, "attachments"],
    queryFn: ({ pageParam, signal }) => api.get<Page<Attachment>>(`/customers/${customer.id}/attachments`,
      { limit: 50, cursor: pageParam ?? undefined }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });
  const remove = useMutation({
    mutationFn: (id: string) => api.delete(`/attachments/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["customer", customer.id, "attachments"] }),
    onError: (error) => problem(error),
  });
  const rows = files.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <AttachmentUpload customerId={customer.id} />
      {files.error && <Alert type="error" title={files.error.message} />}
      <Table<Attachment> rowKey="id" size="small" loading={files.isLoading} dataSource={rows} pagination={false}
        scroll={{ x: 720 }} locale={{ emptyText: <EmptyText>{t("ix.attachment.empty")}</EmptyText> }}
        columns={[
          { title: t("ix.attachment.name"), dataIndex: "filename", render: (name: string, row) => (
            <Button type="link" style={{ padding: 0 }} aria-label={t("ix.attachment.downloadName", { name })}
                    onClick={() => downloadFile(`/attachments/${row.id}/content`, name).catch(problem)}>{name}</Button>
          ) },
          { title: t("ix.attachment.size"), dataIndex: "size", render: fileSize, width: 100 },
          { title: t("ix.attachment.from"), dataIndex: "parent_type", width: 140, render: (parent: string | null) =>
            parent ? <Tag>{t(parent === "comment" ? "ix.attachment.fromComment" : "ix.support.ticket")}</Tag>
                   : <Tag>{t("ix.attachment.fromCustomer")}</Tag> },
          { title: t("ix.attachment.uploadedBy"), dataIndex: "uploaded_by", render: (id: string) => <PersonName id={id} /> },
          { title: t("ix.attachment.uploadedAt"), dataIndex: "created_at", render: formatDateTime, width: 150 },
          { title: t("common.actions"), key: "actions", width: 110, render: (_, row) => (
            <Space>
              <Button size="small" icon={<DownloadOutlined />} aria-label={t("ix.attachment.download")}
                      onClick={() => downloadFile(`/attachments/${row.id}/content`, row.filename).catch(problem)} />
              <Popconfirm title={t("ix.attachment.deleteConfirm")} okText={t("common.confirm")} cancelText={t("common.cancel")}
                          onConfirm={() => remove.mutate(row.id)}>
                <Button size="small" danger icon={<DeleteOutlined />} aria-label={t("common.delete")} />
              </Popconfirm>
            </Space>
          ) },
        ]} />
      {files.hasNextPage && (
        <Button onClick={() => void files.fetchNextPage()} loading={files.isFetchingNextPage}>{t("common.loadMore")}</Button>
      )}
    </Space>
  );
}
