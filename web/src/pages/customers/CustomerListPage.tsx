import { useState } from "react";
import { Input, Table, Tag, Typography } from "antd";
import { useInfiniteQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { api, type Page } from "../../api/client";
import type { Customer } from "../../api/types";
import { useT } from "../../i18n/I18nProvider";
import { formatDate } from "../../lib/format";

/** The customer list (seeds 001, 002, 004); the customers feature grows it. */
export default function CustomerListPage() {
  const t = useT();
  const [q, setQ] = useState("");
  const customers = useInfiniteQuery({
    queryKey: ["customers", { q }],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Customer>>("/customers", { q, cursor: pageParam, limit: 50 }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const rows = customers.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section aria-labelledby="customers-title">
      <Typography.Title id="customers-title" level={1} style={{ fontSize: 22 }}>{t("nav.customers")}</Typography.Title>
      <Input.Search aria-label={t("common.search")} placeholder={t("common.search")} allowClear
                    onSearch={setQ} style={{ maxWidth: 360, marginBottom: 12 }} />
      <Table<Customer> rowKey="id" dataSource={rows} loading={customers.isLoading} pagination={false}
                       scroll={{ x: true }}
                       columns={[
                         { title: "Tên", dataIndex: "name", render: (name, row) => <Link to={`/customers/${row.id}`}>{name}</Link> },
                         { title: "SĐT", dataIndex: "phone" },
                         { title: "Trạng thái", dataIndex: "status", render: (status) => <Tag>{status}</Tag> },
                         { title: "Ngày tạo", dataIndex: "created_at", render: formatDate },
                       ]} />
    </section>
  );
}
