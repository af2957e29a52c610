import { Alert, Empty, Space, Spin, Tag, Tree, Typography } from "antd";
import type { TreeDataNode } from "antd";
import { useQuery } from "@tanstack/react-query";
import { Link } from "../../../lib/router";
import { api } from "../../../api/client";
import type { Customer, ReferralTree } from "../../../api/types";
import { useT } from "../../../i18n/I18nProvider";
import { formatDate } from "../../../lib/format";
import { useStatusName } from "../form/options";

/** Seed 003 "Giới thiệu": the customers this one referred, and theirs, as a tree (name, status, creation date). */
export default function ReferralsTab({ customer }: { customer: Customer }) {
  const t = useT();
  const statusName = useStatusName();
  const tree = useQuery({
    queryKey: ["customer", customer.id, "referrals"],
    queryFn: () => api.get<ReferralTree>(`/customers/${customer.id}/referrals`),
  });
  if (tree.isLoading) return <Spin />;
  if (tree.error) return <Alert type="error" title={tree.error.message} />;
  const { root, items, truncated } = tree.data!;

  const title = (node: { id: string; name: string | null; status: string | null; created_at: string | null;
                         hidden?: boolean }) => node.hidden || !node.name
    ? <Typography.Text type="secondary">{t("customers.referrals.hidden")}</Typography.Text>
    : (
      <Space size={8} wrap>
        {node.id === customer.id ? <strong>{node.name}</strong> : <Link to={`/customers/${node.id}`}>{node.name}</Link>}
        {node.status && <Tag>{statusName(node.status)}</Tag>}
        {node.created_at && <span>{t("customers.referrals.createdAt", { date: formatDate(node.created_at) })}</span>}
      </Space>
    );
  const children = (parent: string): TreeDataNode[] => items.filter((item) => item.referred_by === parent)
    .map((item) => ({ key: item.id, title: title(item), children: children(item.id) }));
  const data: TreeDataNode[] = [{ key: root.id, title: title(root), children: children(root.id) }];

  return (
    <section aria-labelledby="referrals-title">
      <Typography.Title id="referrals-title" level={2} style={{ fontSize: 17 }}>{t("customers.referrals.title")}</Typography.Title>
      {items.length === 0
        ? <Empty description={t("customers.referrals.empty")} />
        : <Tree treeData={data} defaultExpandAll selectable={false} blockNode />}
      {truncated && <Typography.Paragraph type="secondary">{t("customers.referrals.truncated")}</Typography.Paragraph>}
    </section>
  );
}
