import { useMemo, useState } from "react";
import { Button, ConfigProvider, Input, Select, Space, Table, Typography } from "antd";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../api/client";
import type { Unit } from "../../../api/types";
import { useT } from "../../../i18n/I18nProvider";
import { useFeedback } from "../../../lib/feedback";
import { useUnits } from "../../admin/useUnits";
import { foldAccents } from "../../admin/text";
import type { Territory } from "./types";
import { useShowError } from "./useShowError";

/** Units as options, each under its parent (sorted by path, indented by depth). */
function unitOptions(units: Unit[] | undefined) {
  return [...(units ?? [])].sort((a, b) => a.path.localeCompare(b.path))
    .map((unit) => ({ value: unit.id, label: `${"\u00a0\u00a0".repeat(unit.depth)}${unit.name}`, search: foldAccents(unit.name) }));
}

/** Địa bàn: which unit covers each of the 34 provinces of 2025 (GET/PUT/DELETE /territories), used
 * by the "Theo địa bàn tỉnh/thành" distribution; admins anywhere, managers within their subtree. */
export function TerritoriesTab() {
  const t = useT();
  const [search, setSearch] = useState("");
  const territories = useQuery({ queryKey: ["territories"],
                                 queryFn: async () => (await api.get<{ items: Territory[] }>("/territories")).items });
  const units = useUnits();
  const options = useMemo(() => unitOptions(units.data), [units.data]);
  const rows = (territories.data ?? []).filter((row) => foldAccents(row.province_name).includes(foldAccents(search.trim())));
  const mapped = (territories.data ?? []).filter((row) => row.unit_id).length;
  return (
    // "Chưa gán" in each empty select: antd's placeholder grey is below 4.5:1
    <ConfigProvider theme={{ token: { colorTextPlaceholder: "rgba(0, 0, 0, 0.6)" } }}>
      <Typography.Paragraph type="secondary">{t("work.territory.hint")}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search allowClear placeholder={t("work.territory.search")} aria-label={t("work.territory.search")}
                      value={search} onChange={(event) => setSearch(event.target.value)} style={{ width: 260 }} />
        <Typography.Text data-testid="territories-mapped">
          {t("work.territory.mapped", { count: mapped, total: territories.data?.length ?? 34 })}
        </Typography.Text>
      </Space>
      <Table<Territory> rowKey="province_code" dataSource={rows} loading={territories.isLoading} pagination={false}
                        scroll={{ x: "max-content" }} size="small" aria-label={t("work.tab.territories")}
                        columns={[
                          { title: t("work.territory.province"), dataIndex: "province_name" },
                          { title: t("work.territory.unit"), key: "unit", render: (_, row) =>
                            <TerritoryRow row={row} options={options} loading={units.isLoading} /> },
                        ]} />
    </ConfigProvider>
  );
}

function TerritoryRow({ row, options, loading }: {
  row: Territory; options: ReturnType<typeof unitOptions>; loading: boolean;
}) {
  const t = useT();
  const queryClient = useQueryClient();
  const showError = useShowError();
  const { message } = useFeedback();
  const [unitId, setUnitId] = useState<string | null>(row.unit_id);
  const save = useMutation({
    mutationFn: async (next: string | null) => {
      if (next) await api.put<Territory>(`/territories/${row.province_code}`, { unit_id: next });
      else await api.delete(`/territories/${row.province_code}`);
    },
    onSuccess: (_, next) => {
      const unit = options.find((option) => option.value === next)?.label.trim() ?? "";
      void message.success(next ? t("work.territory.saved", { province: row.province_name, unit })
        : t("work.territory.cleared", { province: row.province_name }));
      void queryClient.invalidateQueries({ queryKey: ["territories"] });
    },
    onError: (error) => {
      setUnitId(row.unit_id);
      showError(error);
    },
  });
  const changed = unitId !== row.unit_id;
  return (
    <Space wrap>
      <Select<string> showSearch={{ filterOption: (input, option) => Boolean(option?.search.includes(foldAccents(input))) }}
                      value={unitId ?? undefined} onChange={setUnitId} options={options} loading={loading}
                      placeholder={t("work.territory.unmapped")} style={{ width: 280 }}
                      aria-label={t("work.territory.unitOf", { province: row.province_name })} />
      <Button type="primary" disabled={!changed || !unitId} loading={save.isPending && Boolean(unitId)}
              aria-label={t("work.territory.saveOf", { province: row.province_name })}
              onClick={() => save.mutate(unitId)}>{t("work.territory.save")}</Button>
      {row.unit_id && (
        <Button aria-label={t("work.territory.clearOf", { province: row.province_name })}
                onClick={() => { setUnitId(null); save.mutate(null); }}>{t("work.territory.clear")}</Button>
      )}
    </Space>
  );
}
