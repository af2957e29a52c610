import { useEffect, useRef } from "react";
import { Alert, Checkbox, Col, Collapse, Form, InputNumber, Row, Select, Spin, Typography } from "antd";
import { useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";
import { useT } from "../../i18n/I18nProvider";
import type { MessageKey } from "../../i18n/messages";
import { useAttributes } from "../customers/form/options";
import { ATTRIBUTE_PREFIX, columnLabel, defaultStartRow, FIELDS, MAIN_FIELDS, READABLE_PLACEHOLDER, REQUIRED_FIELDS, takenBy } from "./mapping";
import { PreviewTable } from "./PreviewTable";
import type { Preview, UploadedFile } from "./types";
import type { WizardValues } from "./wizard";

export function usePreview(file: UploadedFile, sheet: number | undefined) {
  return useQuery({
    queryKey: ["import-upload", file.id, "preview", sheet ?? 0],
    queryFn: ({ signal }) => api.get<Preview>(`/imports/uploads/${file.id}/preview`, { sheet: sheet ?? 0, rows: 20 }, signal),
    staleTime: Infinity,
  });
}

/** Step 3 (quick import): the preview, the start row ("Dòng bắt đầu") and each field's column. */
export function MappingStep({ file }: { file: UploadedFile }) {
  const t = useT();
  const form = Form.useFormInstance<WizardValues>();
  const sheet = Form.useWatch("sheet", { form, preserve: true });
  const startRow = Form.useWatch("startRow", form);
  const preview = usePreview(file, sheet);
  const attributes = useAttributes();
  const startRowFor = useRef<string | null>(null);
  useEffect(() => {
    const shown = `${file.id}:${preview.data?.sheet}`;
    if (!preview.data || startRowFor.current === shown) return;
    startRowFor.current = shown;
    form.setFieldsValue({ startRow: defaultStartRow(preview.data.detected_header_row) });
  }, [file.id, form, preview.data]);

  if (preview.isLoading) return <Spin />;
  if (!preview.data) return <Alert type="error" showIcon title={preview.error?.message ?? t("common.error")} />;
  const columns = preview.data.columns.map((column) => ({ value: column.index, label: columnLabel(column) }));
  const letters = new Map(preview.data.columns.map((column) => [column.index, column.letter]));
  const fieldName = (field: string) => field.startsWith(ATTRIBUTE_PREFIX)
    ? attributes.data?.find((attribute) => `${ATTRIBUTE_PREFIX}${attribute.key}` === field)?.name ?? field
    : t(`imp.field.${field}` as MessageKey);

  const fieldItem = (field: string) => (
    <Col key={field} xs={24} sm={12} lg={8}>
      <Form.Item name={["mapping", field]} label={fieldName(field)}
        rules={[
          { required: REQUIRED_FIELDS.includes(field), message: t("imp.columnRequired", { field: fieldName(field) }) },
          { validator: (_, value: number | undefined) => {
            const other = takenBy(form.getFieldValue("mapping") ?? {}, field, value);
            return other ? Promise.reject(new Error(t("imp.columnTwice", { letter: letters.get(value!) ?? "", field: fieldName(other) })))
              : Promise.resolve();
          } },
        ]}>
        <Select allowClear showSearch={{ optionFilterProp: "label" }} placeholder={t("imp.columnPlaceholder")} options={columns}
                styles={READABLE_PLACEHOLDER} />
      </Form.Item>
    </Col>
  );
  const others = [...FIELDS.filter((field) => !MAIN_FIELDS.includes(field)),
                  ...(attributes.data ?? []).map((attribute) => `${ATTRIBUTE_PREFIX}${attribute.key}`)];

  return (
    <>
      <Typography.Title level={2} style={{ fontSize: 17 }}>{t("imp.preview")}</Typography.Title>
      {preview.data.detected_header_row && (
        <Typography.Paragraph type="secondary">{t("imp.previewHint", { row: preview.data.detected_header_row })}</Typography.Paragraph>
      )}
      <PreviewTable preview={preview.data} startRow={startRow} />
      <Form.Item name="startRow" label={t("imp.startRow")} extra={t("imp.startRowHint")} style={{ marginTop: 16 }}
                 rules={[{ required: true, message: t("imp.startRowHint") }]}>
        <InputNumber min={1} max={1_048_576} precision={0} />
      </Form.Item>
      <Typography.Title level={2} style={{ fontSize: 17 }}>{t("imp.mapping")}</Typography.Title>
      <Typography.Paragraph type="secondary">{t("imp.mappingHint")}</Typography.Paragraph>
      <Row gutter={16}>{MAIN_FIELDS.map(fieldItem)}</Row>
      <Collapse ghost items={[{ key: "more", label: t("imp.moreFields"), forceRender: true,
                                children: <Row gutter={16}>{others.map(fieldItem)}</Row> }]} />
      <Form.Item name="dryRun" valuePropName="checked" extra={t("imp.dryRunHint")} style={{ marginTop: 16 }}>
        <Checkbox>{t("imp.dryRun")}</Checkbox>
      </Form.Item>
    </>
  );
}
