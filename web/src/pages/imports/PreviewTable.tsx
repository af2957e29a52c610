import { Table } from "antd";
import { useT } from "../../i18n/I18nProvider";
import type { Preview, PreviewRow } from "./types";

/** The file's first rows as it shows them: column letters above the headers, row numbers on the left;
 *  the rows before the start row are greyed (they are not imported). */
export function PreviewTable({ preview, startRow }: { preview: Preview; startRow: number | undefined }) {
  const t = useT();
  const skipped = (row: PreviewRow) => startRow !== undefined && row.row_number < startRow;
  return (
    <Table<PreviewRow> rowKey="row_number" size="small" bordered pagination={false} scroll={{ x: "max-content", y: 320 }}
      dataSource={preview.rows} data-testid="import-preview"
      onRow={(row) => (skipped(row) ? { style: { background: "#f0f0f0", color: "#595959" } } : {})}
      columns={[
        { key: "row", title: t("imp.rowNumber"), dataIndex: "row_number", fixed: "left", width: 64 },
        ...preview.columns.map((column) => ({
          key: column.letter,
          title: (
            <div>
              <div><strong>{column.letter}</strong></div>
              {column.header && <div style={{ fontWeight: 400 }}>{column.header}</div>}
            </div>
          ),
          render: (_: unknown, row: PreviewRow) => {
            const cell = row.cells[column.index - 1];
            return cell === null || cell === undefined ? "" : String(cell);
          },
        })),
      ]} />
  );
}
