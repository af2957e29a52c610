-- Comments on a care or support ticket (I-3). Such a comment still belongs to the ticket's
-- customer (it shows in the customer's comments and timeline); `ticket_type`/`ticket_id` say which
-- ticket it was written on. A ticket's assignee sees the ticket's comments even without seeing the
-- customer (see store/comments.py).
ALTER TABLE comments
    ADD COLUMN ticket_type text CHECK (ticket_type IN ('care_ticket', 'support_ticket')),
    ADD COLUMN ticket_id   uuid,
    ADD CONSTRAINT comments_ticket_pair CHECK ((ticket_type IS NULL) = (ticket_id IS NULL));
CREATE INDEX comments_by_ticket ON comments (ticket_id, created_at DESC, id DESC) WHERE ticket_id IS NOT NULL;
