import { useState } from "react";
import { Alert, Upload } from "antd";
import { InboxOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import { ApiError } from "../../../api/client";
import { useT } from "../../../i18n/I18nProvider";
import { uploadFile } from "./download";

/** The API's default limit for one upload (seed 003: "Giới hạn dung lượng một lần tải lên là 20MB"). */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

/** Drag and drop files onto a customer: refused here above the limit, the API's 413/415 shown as they come. */
export function AttachmentUpload({ customerId }: { customerId: string }) {
  const t = useT();
  const queryClient = useQueryClient();
  const [problems, setProblems] = useState<string[]>([]);
  return (
    <>
      <Upload.Dragger multiple showUploadList={{ showRemoveIcon: false }} aria-label={t("ix.attachment.drop")}
        beforeUpload={(file) => {
          if (file.size > MAX_UPLOAD_BYTES) {
            setProblems((list) => [...list, t("ix.attachment.tooLarge", { name: file.name })]);
            return Upload.LIST_IGNORE;
          }
          return true;
        }}
        customRequest={({ file, onSuccess, onError }) => {
          uploadFile(`/customers/${customerId}/attachments`, file as File)
            .then((saved) => {
              onSuccess?.(saved);
              void queryClient.invalidateQueries({ queryKey: ["customer", customerId, "attachments"] });
            })
            .catch((error: unknown) => {
              const detail = error instanceof ApiError ? error.detail : t("common.error");
              setProblems((list) => [...list, `${(file as File).name}: ${detail}`]);
              onError?.(error as Error);
            });
        }}>
        <p className="ant-upload-drag-icon"><InboxOutlined /></p>
        <p>{t("ix.attachment.drop")}</p>
        <p style={{ color: "#595959" }}>{t("ix.attachment.limit")}</p>
      </Upload.Dragger>
      {problems.map((problem, index) => (
        <Alert key={index} type="error" showIcon closable title={problem} style={{ marginTop: 8 }}
               onClose={() => setProblems((list) => list.filter((_, at) => at !== index))} />
      ))}
    </>
  );
}
