import { useState } from "react";
import { Alert, Button, Descriptions, Form, Progress, Select, Upload } from "antd";
import { InboxOutlined } from "@ant-design/icons";
import { ApiError } from "../../api/client";
import { useT } from "../../i18n/I18nProvider";
import { formatBytes } from "./mapping";
import { uploadSpreadsheet } from "./transfer";
import type { UploadedFile } from "./types";

const ACCEPT = ".xlsx,.xls,.ods,.csv,.txt";

/** Step 2: the spreadsheet, sent with a progress bar; what the API found in it; the sheet to read. */
export function FileStep({ file, onUploaded }: { file: UploadedFile | null; onUploaded: (file: UploadedFile | null) => void }) {
  const t = useT();
  const [percent, setPercent] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const uploader = (
    <Upload.Dragger accept={ACCEPT} multiple={false} showUploadList={false} aria-label={t("imp.drop")}
      disabled={percent !== null}
      customRequest={({ file: chosen, onSuccess, onError }) => {
        setProblem(null);
        setPercent(0);
        uploadSpreadsheet(chosen as File, setPercent)
          .then((uploaded) => {
            onSuccess?.(uploaded);
            onUploaded(uploaded);
          })
          .catch((error: unknown) => {
            setProblem(error instanceof ApiError && error.status ? error.detail : t("common.error"));
            onError?.(error as Error);
          })
          .finally(() => setPercent(null));
      }}>
      <p className="ant-upload-drag-icon"><InboxOutlined /></p>
      <p>{t("imp.drop")}</p>
      <p style={{ color: "#595959" }}>{t("imp.dropHint")}</p>
    </Upload.Dragger>
  );

  return (
    <>
      {!file && uploader}
      {percent !== null && (
        <div style={{ marginTop: 12 }}>
          {t("imp.uploading")}
          <Progress percent={percent} status="active" aria-label={t("imp.uploadProgress")} data-testid="upload-progress" />
        </div>
      )}
      {problem && <Alert type="error" showIcon title={problem} style={{ marginTop: 12 }} closable onClose={() => setProblem(null)} />}
      {file && (
        <>
          <Descriptions bordered size="small" column={1} style={{ maxWidth: 640 }} items={[
            { key: "name", label: t("imp.fileName"), children: file.filename },
            { key: "format", label: t("imp.format"), children: file.format.toUpperCase() },
            { key: "size", label: t("imp.size"), children: formatBytes(file.size_bytes) },
            ...(file.encoding ? [{ key: "encoding", label: t("imp.encoding"), children: file.encoding }] : []),
            { key: "sheets", label: t("imp.sheets"), children: file.sheets.map((sheet) => sheet.name).join(", ") },
          ]} />
          {file.sheets.length > 1 && (
            <Form.Item name="sheet" label={t("imp.sheet")} style={{ maxWidth: 400, marginTop: 16 }}>
              <Select showSearch={{ optionFilterProp: "label" }}
                      options={file.sheets.map((sheet) => ({ value: sheet.index, label: sheet.name }))} />
            </Form.Item>
          )}
          <Button onClick={() => onUploaded(null)} style={{ marginTop: 16 }}>{t("imp.otherFile")}</Button>
        </>
      )}
    </>
  );
}
