import { lazy, Suspense, useState } from "react";
import { Button, Card, Empty, Flex, Result, Space, Spin, Typography } from "antd";
import { ArrowLeftOutlined } from "@ant-design/icons";
import { ApiError } from "../../api/client";
import { useI18n } from "../../i18n/I18nProvider";
import { formatDateTime } from "../../lib/format";
import { Link, useParams } from "../../lib/router";
import { localPhone } from "../customers/detail/phone";
import PersonName from "../customers/detail/PersonName";
import { batchRequests, decisionOf, reasonName } from "./logic";
import { useBatch, usePackage, useReasons } from "./queries";
import Evidence from "./Evidence";
import { BatchStatusTag, RequestStatusTag } from "./StatusTag";
import type { CompensationRequest } from "./types";
import type { Decision } from "./DecisionModal";

const DecisionModal = lazy(() => import("./DecisionModal"));

/** A batch under review: each request with its evidence, approved or rejected with a note. */
export default function BatchReviewPage() {
  const { t, language } = useI18n();
  const { batchId } = useParams();
  const batch = useBatch(batchId);
  const pack = usePackage(batch.data?.package_id);
  const reasons = useReasons();
  const [deciding, setDeciding] = useState<{ request: CompensationRequest; decision: Decision } | null>(null);
  if (batch.isLoading) return <Spin />;
  if (batch.error || !batch.data) {
    const missing = batch.error instanceof ApiError && batch.error.status === 404;
    return <Result status={missing ? "404" : "error"} title={missing ? t("comp.notFound") : t("common.error")}
                   subTitle={batch.error?.message} />;
  }
  const row = batch.data;
  const requests = batchRequests(row);
  const name = (request: CompensationRequest) => request.evidence?.customer?.full_name ?? request.customer_id;
  return (
    <section>
      <Link to="/compensation/review"><ArrowLeftOutlined aria-hidden /> {t("comp.reviewQueue")}</Link>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ margin: "8px 0 4px" }}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {t("comp.batchTitle", { name: row.package_name })}
        </Typography.Title>
        <BatchStatusTag status={row.status} />
      </Flex>
      <Space wrap size={[16, 4]} style={{ marginBottom: 16 }}>
        <span>{t("comp.provider")}: {row.provider}</span>
        <span>{t("comp.submittedBy")}: <PersonName id={row.submitted_by} /></span>
        <span>{t("comp.submittedAt")}: {formatDateTime(row.submitted_at)}</span>
      </Space>
      {requests.length === 0 && <Empty description={t("comp.noRequests")} />}
      <Flex vertical gap={12}>
        {requests.map((request) => (
          <Card key={request.id} size="small" data-testid="review-request"
                title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{name(request)}</Typography.Title>}
                extra={<RequestStatusTag status={request.status} />}>
            <Space wrap size={[16, 4]} style={{ marginBottom: 8 }}>
              {request.evidence?.customer?.phone && <span>{t("comp.phone")}: {localPhone(request.evidence.customer.phone)}</span>}
              <span>{t("comp.requester")}: <PersonName id={request.requester_id} /></span>
              <span>{t("comp.reason")}: <strong>{reasonName(reasons.data, request.reason_code, language)}</strong></span>
            </Space>
            {request.reason_text && <Typography.Paragraph style={{ whiteSpace: "pre-wrap" }}>{request.reason_text}</Typography.Paragraph>}
            <Typography.Title level={3} style={{ fontSize: 14 }}>{t("comp.evidence")}</Typography.Title>
            <Evidence request={request} pack={pack.data} />
            {request.status === "submitted" ? (
              <Space style={{ marginTop: 12 }}>
                <Button type="primary" aria-label={`${t("comp.approve")}: ${name(request)}`}
                        onClick={() => setDeciding({ request, decision: "approved" })}>{t("comp.approve")}</Button>
                <Button danger aria-label={`${t("comp.reject")}: ${name(request)}`}
                        onClick={() => setDeciding({ request, decision: "rejected" })}>{t("comp.reject")}</Button>
              </Space>
            ) : decisionOf(request).note && (
              <Typography.Paragraph style={{ marginTop: 8 }}>{t("comp.decisionNote")}: {decisionOf(request).note}</Typography.Paragraph>
            )}
          </Card>
        ))}
      </Flex>
      {deciding && (
        <Suspense fallback={null}>
          <DecisionModal request={deciding.request} decision={deciding.decision} name={name(deciding.request)}
                         onClose={() => setDeciding(null)} />
        </Suspense>
      )}
    </section>
  );
}
