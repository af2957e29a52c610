import { useState } from "react";
import { Button, Card, Descriptions, Empty, Flex, Space, Spin } from "antd";
import { useFeedback } from "../../../lib/feedback";
import { CheckOutlined, CloseOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../api/client";
import { Link } from "../../../lib/router";
import type { AssignmentRecord } from "../../../api/types";
import { useT } from "../../../i18n/I18nProvider";
import { formatDateTime, fromNow } from "../../../lib/format";
import { AssignmentStatusTag } from "./AssignmentStatusTag";
import { DeclineModal } from "./DeclineModal";
import { PersonName } from "./PersonName";
import { StatusFilter, type StatusChoice } from "./StatusFilter";
import { useAssignments } from "./useAssignments";
import { useShowError } from "./useShowError";

/** Khách hàng được giao: the offers made to me, to accept or decline before they expire. */
export function MyOffers() {
  const t = useT();
  const [status, setStatus] = useState<StatusChoice>("offered");
  const offers = useAssignments("mine", status);
  const rows = offers.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <div>
      <StatusFilter value={status} onChange={setStatus} />
      {offers.isLoading && <Spin style={{ display: "block", margin: 24 }} />}
      {!offers.isLoading && rows.length === 0 && <Empty description={status === "offered" ? t("work.noOffers") : t("common.empty")} />}
      <Flex vertical gap={12}>
        {rows.map((offer) => <OfferCard key={offer.id} offer={offer} />)}
      </Flex>
      {offers.hasNextPage && (
        <Button onClick={() => void offers.fetchNextPage()} loading={offers.isFetchingNextPage} style={{ marginTop: 12 }}>
          {t("common.loadMore")}
        </Button>
      )}
    </div>
  );
}

function OfferCard({ offer }: { offer: AssignmentRecord }) {
  const t = useT();
  const queryClient = useQueryClient();
  const showError = useShowError();
  const { message } = useFeedback();
  const [declining, setDeclining] = useState(false);
  const done = (text: string) => {
    void message.success(text);
    void queryClient.invalidateQueries({ queryKey: ["assignments"] });
    void queryClient.invalidateQueries({ queryKey: ["customers"] });
  };
  const accept = useMutation({
    mutationFn: () => api.post<AssignmentRecord>(`/assignments/${offer.id}/accept`),
    onSuccess: () => done(t("work.accepted")),
    onError: showError,
  });
  const decline = useMutation({
    mutationFn: (reason: string | null) => api.post<AssignmentRecord>(`/assignments/${offer.id}/decline`, { reason }),
    onSuccess: () => {
      setDeclining(false);
      done(t("work.declined"));
    },
    onError: showError,
  });
  const titleId = `offer-${offer.id}`;
  return (
    <article aria-labelledby={titleId}>
      <Card size="small" title={<span id={titleId} style={{ whiteSpace: "normal" }}>{offer.text}</span>}
            extra={<Space size={12}><AssignmentStatusTag status={offer.status} />
              <Link to={`/assignments/${offer.id}`} aria-label={t("work.detail.openOf", { text: offer.text })}>
                {t("work.detail.open")}
              </Link></Space>}>
        <Descriptions size="small" styles={{ label: { color: "rgba(0, 0, 0, 0.7)" } }} column={{ xs: 1, sm: 2, lg: 3 }} items={[
          { key: "by", label: t("work.assignedBy"), children: <PersonName id={offer.assigned_by} /> },
          { key: "count", label: t("work.customers"), children: offer.customer_count },
          { key: "created", label: t("work.createdAt"), children: formatDateTime(offer.created_at) },
          ...(offer.status === "offered" && offer.expires_at ? [{
            key: "expires", label: t("work.expires"),
            children: t("work.expiresIn", { date: formatDateTime(offer.expires_at), relative: fromNow(offer.expires_at) }),
          }] : []),
          ...(offer.decided_at ? [{ key: "decided", label: t("work.decidedAt"), children: formatDateTime(offer.decided_at) }] : []),
          ...(offer.decline_reason ? [{ key: "reason", label: t("work.declineReason"), children: offer.decline_reason }] : []),
        ]} />
        {offer.status === "offered" && (
          <Space wrap style={{ marginTop: 8 }}>
            <Button type="primary" icon={<CheckOutlined />} loading={accept.isPending} onClick={() => accept.mutate()}>
              {t("work.accept")}
            </Button>
            <Button danger icon={<CloseOutlined />} onClick={() => setDeclining(true)}>{t("work.decline")}</Button>
          </Space>
        )}
      </Card>
      {declining && <DeclineModal text={offer.text} pending={decline.isPending}
                                  onDecline={(reason) => decline.mutate(reason)} onClose={() => setDeclining(false)} />}
    </article>
  );
}
