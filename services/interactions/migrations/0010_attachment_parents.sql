-- Attachments on a support ticket (I-7) or on a comment (I-3), besides those on a customer. The
-- row still names the customer (purge, counts); `parent_type`/`parent_id` say which record holds
-- it. Such an attachment is visible while its parent is (see store/attachments.py).
ALTER TABLE attachments
    ADD COLUMN parent_type text CHECK (parent_type IN ('support_ticket', 'comment')),
    ADD COLUMN parent_id   uuid,
    ADD CONSTRAINT attachments_parent_pair CHECK ((parent_type IS NULL) = (parent_id IS NULL));
CREATE INDEX attachments_by_parent ON attachments (parent_id, created_at DESC, id DESC)
    WHERE parent_id IS NOT NULL AND deleted_at IS NULL;
