import { lazy, Suspense, useState } from "react";
import { Alert, Button, Flex, Result, Segmented, Spin, Typography } from "antd";
import { ArrowLeftOutlined } from "@ant-design/icons";
import { useAuth } from "../../auth/AuthProvider";
import { useT } from "../../i18n/I18nProvider";
import { Link } from "../../lib/router";
import BatchesTable from "./BatchesTable";
import { canReview } from "./logic";
import { usePaged } from "./queries";
import type { Batch } from "./types";

const ReviewReport = lazy(() => import("./ReviewReport"));

/** The reviewers' queue: batches sent for review, oldest first, each with how long it has waited. */
export default function ReviewQueuePage() {
  const t = useT();
  const { me } = useAuth();
  const [view, setView] = useState<"open" | "completed" | "report">("open");
  const reviewer = canReview(me?.roles);
  // without a status the API answers the open batches (submitted, in review), oldest first
  const open = usePaged<Batch>(["compensation-batches", { status: "open" }], "/compensation-batches", {},
                               reviewer && view === "open");
  const completed = usePaged<Batch>(["compensation-batches", { status: "completed" }], "/compensation-batches",
                                    { status: "completed" }, reviewer && view === "completed");
  if (me && !reviewer) return <Result status="404" title={t("comp.notFound")} />;
  const shown = view === "open" ? open : completed;
  return (
    <section>
      <Link to="/compensation"><ArrowLeftOutlined aria-hidden /> {t("comp.back")}</Link>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ margin: "8px 0 16px" }}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>{t("comp.reviewQueue")}</Typography.Title>
        <Segmented aria-label={t("comp.queueFilter")} value={view} onChange={(next) => setView(next as typeof view)}
                   options={[{ value: "open", label: t("comp.queueOpen") }, { value: "completed", label: t("comp.queueDone") },
                            { value: "report", label: t("comp.report") }]} />
      </Flex>
      {view === "report" ? <Suspense fallback={<Spin />}><ReviewReport /></Suspense> : <>
      {shown.error && <Alert type="error" title={shown.error.message} style={{ marginBottom: 12 }} />}
      <BatchesTable batches={shown.items} loading={shown.isLoading} reviewing />
      {shown.hasNextPage && (
        <Button style={{ marginTop: 12 }} loading={shown.isFetchingNextPage} onClick={() => void shown.fetchNextPage()}>
          {t("common.loadMore")}
        </Button>
      )}
      </>}
    </section>
  );
}
