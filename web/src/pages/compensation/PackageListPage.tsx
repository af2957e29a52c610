import { lazy, Suspense, useState } from "react";
import { Alert, Button, Flex, Grid, Space, Table, Typography } from "antd";
import { AuditOutlined, PlusOutlined } from "@ant-design/icons";
import { Link, useNavigate } from "../../lib/router";
import { useAuth } from "../../auth/AuthProvider";
import { useT } from "../../i18n/I18nProvider";
import { formatDate } from "../../lib/format";
import { EmptyText } from "../customers/interactions/ToneTag";
import PersonName from "../customers/detail/PersonName";
import CardList from "./CardList";
import SubmitButton from "./SubmitButton";
import { canManagePackages, canReview, COUNTERS } from "./logic";
import { usePaged } from "./queries";
import type { Batch, LeadPackage } from "./types";

const PackageFormModal = lazy(() => import("./PackageFormModal"));


/** "Danh sách yêu cầu bù" (seed 000, steps 5–6): the lead packages ("gói tài khoản") the user sees,
 * with their counters; a package opens its requests and "Gửi xét duyệt". */
export default function PackageListPage() {
  const t = useT();
  const navigate = useNavigate();
  const { me } = useAuth();
  const screens = Grid.useBreakpoint();
  const [creating, setCreating] = useState(false);
  const packages = usePaged<LeadPackage>(["lead-packages", {}], "/lead-packages");
  const reviewer = canReview(me?.roles);
  const queue = usePaged<Batch>(["compensation-batches", { status: "open" }], "/compensation-batches", {}, reviewer);
  const waiting = queue.items.length ? ` (${queue.items.length}${queue.hasNextPage ? "+" : ""})` : "";

  return (
    <section>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>{t("comp.listTitle")}</Typography.Title>
        <Space wrap>
          {reviewer && (
            <Button icon={<AuditOutlined aria-hidden />} onClick={() => navigate("/compensation/review")}>
              {t("comp.reviewQueue")}{waiting}
            </Button>
          )}
          {canManagePackages(me?.roles) && (
            <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setCreating(true)}>
              {t("comp.newPackage")}
            </Button>
          )}
        </Space>
      </Flex>
      {packages.error && <Alert type="error" title={packages.error.message} style={{ marginTop: 12 }} />}
      {screens.md === false ? (
        <div style={{ marginTop: 16 }}>
          <CardList<LeadPackage> items={packages.items} loading={packages.isLoading} testId="package-item"
            empty={<EmptyText>{t("comp.noPackages")}</EmptyText>} rowKey={(row) => row.id} render={(row) => (<>
              <Link to={`/compensation/packages/${row.id}`}><strong>{row.name}</strong></Link>
              <div>{row.provider} · {formatDate(row.purchased_at)}</div>
              <Space wrap size={[12, 0]}>
                {COUNTERS.map(([key, label]) => <span key={key}>{t(label)}: <strong>{row[key]}</strong></span>)}
              </Space>
              {row.requested > 0 && <div style={{ marginTop: 8 }}><SubmitButton pack={row} named /></div>}
            </>)} />
        </div>
      ) : (
        <Table<LeadPackage> rowKey="id" dataSource={packages.items} loading={packages.isLoading} pagination={false}
          scroll={{ x: "max-content" }} style={{ marginTop: 16 }} onRow={() => ({ "data-testid": "package-item" }) as object}
          locale={{ emptyText: <EmptyText>{t("comp.noPackages")}</EmptyText> }}
          columns={[
            { key: "name", title: t("comp.name"), render: (_, row) => (
              <Link to={`/compensation/packages/${row.id}`}>{row.name}</Link>
            ) },
            { key: "provider", title: t("comp.provider"), dataIndex: "provider" },
            { key: "owner", title: t("comp.owner"), render: (_, row) => (row.owner_id ? <PersonName id={row.owner_id} /> : "") },
            { key: "purchased", title: t("comp.purchasedAt"), render: (_, row) => formatDate(row.purchased_at) },
            ...COUNTERS.map(([key, label]) => ({ key, title: t(label), dataIndex: key, align: "right" as const })),
            { key: "actions", title: t("comp.actions"), render: (_, row) => row.requested > 0 && <SubmitButton pack={row} named /> },
          ]} />
      )}
      {packages.hasNextPage && (
        <Button style={{ marginTop: 12 }} loading={packages.isFetchingNextPage} onClick={() => void packages.fetchNextPage()}>
          {t("common.loadMore")}
        </Button>
      )}
      {creating && (
        <Suspense fallback={null}>
          <PackageFormModal open={creating} onClose={(id) => { setCreating(false); if (id) navigate(`/compensation/packages/${id}`); }} />
        </Suspense>
      )}
    </section>
  );
}
