import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from "react";
import { Alert, Button, Checkbox, ConfigProvider, Dropdown, Flex, Grid, Layout, Segmented, Table } from "antd";
import { PageTitle, Text } from "../../components/Text";
import { useFeedback } from "../../lib/feedback";
import { DownloadOutlined, PlusOutlined, SettingOutlined } from "@ant-design/icons";
import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { useNavigate } from "../../lib/router";
import { api, ApiError } from "../../api/client";
import type { Customer, CustomerFilter, CustomerPage } from "../../api/types";
import { hasRole, useAuth } from "../../auth/AuthProvider";
import { useT } from "../../i18n/I18nProvider";
import { withMessages, type MessageKey } from "../../i18n/messages";
import { BulkBar } from "./list/BulkBar";
import type { BulkKind } from "./list/BulkDialog";
import { DEFAULT_COLUMNS, DEFAULT_FILTERS, FIELD_KEYS, FILTERABLE, fieldTitle } from "./list/fields";
import { FilterBar } from "./list/FilterBar";
import { SCOPES, toFilter, toQuery, toSort, type FilterValues, type ListState, type Scope } from "./list/filters";
import { useAttributes } from "./list/lookups";
import { SavedFilters } from "./list/SavedFilters";
import { bulkTarget, matchingIds, NO_SELECTION, type Selection } from "./list/selection";
import { SearchBox } from "./list/SearchBox";
import { Sidebar } from "./list/Sidebar";
import { useBulk } from "./list/useBulk";
import { useColumns } from "./list/useColumns";
import { useListParams } from "./list/useListParams";
import { useCustomerView, useSaveView } from "./list/view";

const MAX_ASSIGN = 10_000;
type Dialog = "assign" | "recall" | "export" | "filters" | "columns" | null;

// the dialogs load when first opened: the list's first paint needs none of them
const AssignDialog = lazy(withMessages(["customerDialogs"],
  () => import("./list/AssignDialog").then((module) => ({ default: module.AssignDialog }))));
const BulkDialog = lazy(() => import("./list/BulkDialog").then((module) => ({ default: module.BulkDialog })));
const ExportDialog = lazy(withMessages(["customerDialogs"],
  () => import("./list/ExportDialog").then((module) => ({ default: module.ExportDialog }))));
const RecallDialog = lazy(withMessages(["customerDialogs"],
  () => import("./list/RecallDialog").then((module) => ({ default: module.RecallDialog }))));
const ViewSettingsModal = lazy(() => import("./list/ViewSettingsModal")
  .then((module) => ({ default: module.ViewSettingsModal })));

/** The customer list (seeds 001, 002, 004): scopes, groups and labels, search, the user's filters and
 * columns, sort, "Xem thêm" paging, selection and the bulk actions, assignment, recall and export. */
export default function CustomerListPage() {
  const t = useT();
  const { message, modal } = useFeedback();
  const navigate = useNavigate();
  const distributes = hasRole(useAuth().me, "admin", "manager");
  const phone = !Grid.useBreakpoint().md;
  const view = useCustomerView();
  const saveView = useSaveView();

  const { scope, q, filter, filterText, sort: sortChoice, set } = useListParams();
  const setQ = useCallback((next: string) => set({ q: next }), [set]);
  const setFilter = useCallback((next: FilterValues) => set({ filter: next }), [set]);
  const [selection, setSelection] = useState<Selection>(NO_SELECTION);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [bulkKind, setBulkKind] = useState<BulkKind | null>(null);
  const [actionIds, setActionIds] = useState<string[] | null>(null);
  const [filtersOpen, setFiltersOpen] = useState(false);

  const state: ListState = {
    scope: scope ?? ((view.data?.default_scope as Scope | undefined) ?? "all"),
    q, filter, sort: sortChoice ?? view.data?.default_sort ?? "-created_at",
  };
  const customers = useInfiniteQuery({
    queryKey: ["customers", state],
    queryFn: ({ pageParam, signal }) => api.get<CustomerPage>("/customers", toQuery(state, pageParam), signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const rows = useMemo(() => customers.data?.pages.flatMap((page) => page.items) ?? [], [customers.data]);
  const first = customers.data?.pages[0];
  const total = first?.count ?? null;

  const columnKeys = useMemo(() => view.data?.columns.map((column) => column.key) ?? DEFAULT_COLUMNS,
                             [view.data]);
  const attributes = useAttributes(dialog === "columns" || columnKeys.some((key) => key.startsWith("attr")));
  const widths = useMemo(() => new Map((view.data?.columns ?? []).filter((column) => column.width)
    .map((column) => [column.key, column.width!])), [view.data]);
  const columns = useColumns(columnKeys, state.sort, attributes.data, widths);
  const bulk = useBulk();

  const clearSelection = useCallback(() => setSelection(NO_SELECTION), []);
  useEffect(clearSelection, [state.scope, q, filterText, clearSelection]);

  const count = selection.allMatching ? total ?? selection.ids.length : selection.ids.length;
  const target = bulkTarget(selection, state);

  // recall takes assignments, not a filter: "all matching" is collected as ids first
  const openWithIds = async (next: "recall") => {
    setDialog(next);
    if (!selection.allMatching) {
      setActionIds(selection.ids);
      return;
    }
    setActionIds(null);
    const ids = await matchingIds(state, MAX_ASSIGN).catch((error: unknown) => {
      void message.error(error instanceof ApiError ? error.detail : t("common.error"));
      return null;
    });
    if (ids === null) {
      setDialog(null);
      return;
    }
    if (ids.length > MAX_ASSIGN) {
      setDialog(null);
      void message.warning(t("customers.bulk.assignTooMany", { max: MAX_ASSIGN }));
      return;
    }
    setActionIds(ids);
  };

  const confirmDelete = () => {
    void modal.confirm({
      title: t("customers.bulk.deleteConfirm"),
      content: t("customers.bulk.deleteCount", { count }),
      okText: t("common.confirm"), okButtonProps: { danger: true }, cancelText: t("common.cancel"),
      onOk: async () => {
        try {
          const result = await bulk.mutateAsync({ action: "delete", confirm: true, ...target });
          void message.success(t("customers.bulk.deleted", { updated: result.updated,
                                                              skipped: result.skipped_not_editable }));
          clearSelection();
        } catch (error) {
          void message.error(error instanceof ApiError ? error.detail : t("common.error"));
        }
      },
    });
  };

  const activeFilters = Object.keys(toFilter({ scope: state.scope, q: "", filter })).length - 1;
  const applySaved = (saved: CustomerFilter) => {
    const { scope: savedScope, q: savedQ, ...rest } = saved as CustomerFilter & { fuzzy?: boolean };
    delete rest.fuzzy;
    set({ scope: savedScope ?? "all", q: savedQ ?? "", filter: rest });
  };

  const done = () => {
    setDialog(null);
    setBulkKind(null);
    clearSelection();
  };

  const saveSettings = (kind: "filters" | "columns") => (keys: string[]) => {
    const change = kind === "columns"
      ? { columns: keys.map((key) => ({ key, width: view.data?.columns.find((column) => column.key === key)?.width })) }
      : { filters_shown: keys };
    saveView.mutate(change, {
      onSuccess: () => {
        void message.success(t("customers.list.settingsSaved"));
        setDialog(null);
      },
      onError: (error) => void message.error(error instanceof ApiError ? error.detail : t("common.error")),
    });
  };

  const columnItems = useMemo(() => [
    ...FIELD_KEYS.map((key) => ({ key, title: t(fieldTitle(key)) })),
    ...(attributes.data ?? []).map((attribute) => ({ key: `attr.${attribute.key}`, title: attribute.name })),
  ], [attributes.data, t]);
  const filterItems = useMemo(() => FILTERABLE.map((field) => ({ key: field.key, title: t(fieldTitle(field.key)) })),
                              [t]);
  const allLoadedTicked = rows.length > 0 && selection.ids.length === rows.length;

  const list = (
    <>
      <Flex gap={8} wrap align="center" style={{ marginBottom: 8 }}>
        <SearchBox value={q} onChange={setQ} loading={customers.isFetching && !customers.isFetchingNextPage} />
        {phone && (
          <Button onClick={() => setFiltersOpen(!filtersOpen)} aria-expanded={filtersOpen}>
            {t("customers.list.showFilters", { count: activeFilters })}
          </Button>
        )}
        {(!phone || filtersOpen) && (
          <>
            <FilterBar keys={view.data?.filters_shown ?? DEFAULT_FILTERS} value={filter} onChange={setFilter} />
            <SavedFilters saved={view.data?.saved_filters ?? []} current={toFilter(state)} onApply={applySaved} />
          </>
        )}
      </Flex>
      {first?.fuzzy && <Alert type="info" showIcon title={t("customers.list.fuzzy")} style={{ marginBottom: 8 }} />}
      {customers.error && <Alert type="error" showIcon style={{ marginBottom: 8 }}
                                 title={customers.error instanceof ApiError ? customers.error.detail : t("common.error")} />}
      {selection.ids.length > 0 && (
        <BulkBar count={count} allMatching={selection.allMatching}
                 offerAll={allLoadedTicked && total !== null && total > rows.length ? total : null}
                 onSelectAll={() => setSelection({ ids: rows.map((row) => row.id), allMatching: true })}
                 onClear={clearSelection} onBulk={setBulkKind} onDelete={confirmDelete}
                 onAssign={distributes ? () => setDialog("assign") : null}
                 onRecall={distributes ? () => void openWithIds("recall") : null} />
      )}
      <Text secondary data-testid="customer-total" role="status">
        {total !== null && (first?.count_exact === false ? t("customers.list.totalAbout", { count: total })
          : t("customers.list.total", { count: total }))}
        {total !== null && rows.length < total && ` · ${t("customers.list.shown", { shown: rows.length })}`}
      </Text>
      <div style={{ overflowX: "auto" }}>
      <Table<Customer>
        rowKey="id" dataSource={rows} columns={columns} pagination={false} size="middle"
        loading={customers.isLoading} showSorterTooltip={false}
        aria-label={t("nav.customers")}
        rowSelection={{
          selectedRowKeys: selection.ids,
          columnTitle: (
            <Checkbox aria-label={t("customers.list.selectPage")} checked={allLoadedTicked}
                      indeterminate={selection.ids.length > 0 && !allLoadedTicked}
                      onChange={(event) => setSelection({ ids: event.target.checked ? rows.map((row) => row.id) : [],
                                                          allMatching: false })} />
          ),
          onChange: (keys) => setSelection({ ids: keys as string[], allMatching: false }),
          getCheckboxProps: (row) => ({ "aria-label": t("customers.list.selectRow", { name: row.name }) }),
        }}
        onChange={(_, __, sorter) => {
          const one = Array.isArray(sorter) ? sorter[0] : sorter;
          const next = toSort(one?.columnKey as string | undefined, one?.order, view.data?.default_sort ?? "-created_at");
          set({ sort: next === (view.data?.default_sort ?? "-created_at") ? null : next });
        }}
      />
      </div>
      {customers.hasNextPage && (
        <Flex justify="center" style={{ marginTop: 12 }}>
          <Button onClick={() => void customers.fetchNextPage()} loading={customers.isFetchingNextPage}>
            {t("common.loadMore")}
          </Button>
        </Flex>
      )}
    </>
  );

  return (
    <ConfigProvider theme={{ token: { colorTextPlaceholder: "rgba(0, 0, 0, 0.6)", colorLink: "#0958d9" } }}>
    <section aria-labelledby="customers-title">
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 12 }}>
        <PageTitle id="customers-title">{t("nav.customers")}</PageTitle>
        <Flex gap={8} wrap>
          <Button type="primary" icon={<PlusOutlined />} href="/customers/new"
                  onClick={(event) => { event.preventDefault(); void navigate("/customers/new"); }}>
            {t("customers.list.add")}
          </Button>
          <Button icon={<DownloadOutlined />} onClick={() => setDialog("export")}>{t("customers.bulk.export")}</Button>
          <Dropdown trigger={["click"]} menu={{
            items: [{ key: "filters", label: t("customers.list.filterSettings") },
                    { key: "columns", label: t("customers.list.columnSettings") }],
            onClick: ({ key }) => setDialog(key as Dialog),
          }}>
            <Button icon={<SettingOutlined />}>{t("customers.list.configure")}</Button>
          </Dropdown>
        </Flex>
      </Flex>
      <div style={{ marginBottom: 12, overflowX: "auto" }}>
        <Segmented<Scope> value={state.scope} onChange={(scope) => set({ scope })} aria-label={t("customers.list.scope")}
                          options={SCOPES.map((value) => ({ value, label: t(`customers.list.scope.${value}` as MessageKey) }))} />
      </div>
      {phone ? (
        <>
          <div style={{ marginBottom: 8 }}><Sidebar value={filter} onChange={setFilter} compact /></div>
          {list}
        </>
      ) : (
        <Layout style={{ background: "transparent" }}>
          <Layout.Sider width={220} theme="light" style={{ background: "transparent", marginInlineEnd: 16 }}>
            <Sidebar value={filter} onChange={setFilter} compact={false} />
          </Layout.Sider>
          <Layout.Content style={{ minWidth: 0 }}>{list}</Layout.Content>
        </Layout>
      )}

      <Suspense fallback={null}>
        {bulkKind && <BulkDialog kind={bulkKind} count={count} target={target} onClose={() => setBulkKind(null)}
                                 onDone={done} />}
        {dialog === "assign" && <AssignDialog open target={target} count={count} onClose={() => setDialog(null)}
                                              onDone={done} />}
        {dialog === "recall" && <RecallDialog open ids={actionIds} onClose={() => setDialog(null)} onDone={done} />}
        {dialog === "export" && <ExportDialog open filter={toFilter(state)} columns={columnKeys}
                                              onClose={() => setDialog(null)} />}
        {dialog === "columns" && (
          <ViewSettingsModal open title={t("customers.list.columnSettings")} items={columnItems} shown={columnKeys}
                             saving={saveView.isPending} onSave={saveSettings("columns")}
                             onClose={() => setDialog(null)} />
        )}
        {dialog === "filters" && (
          <ViewSettingsModal open title={t("customers.list.filterSettings")} items={filterItems}
                             shown={view.data?.filters_shown ?? DEFAULT_FILTERS} saving={saveView.isPending}
                             onSave={saveSettings("filters")} onClose={() => setDialog(null)} />
        )}
      </Suspense>
    </section>
    </ConfigProvider>
  );
}
