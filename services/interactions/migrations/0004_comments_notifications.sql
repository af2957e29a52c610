-- Comments on customers (I-3) with hashtags and @mentions acknowledged by the mentioned user
-- (I-4), per-user read state, and each user's notifications (I-9). A comment is visible iff its
-- customer is visible (join on customer_access). `hashtags` holds the tags folded in Python (lower
-- case, no diacritics, "#Tê_Lê" -> "te_le") so a search needs no database extension.
CREATE TABLE comments (
    id          uuid PRIMARY KEY,
    customer_id uuid NOT NULL,
    author_id   uuid NOT NULL,
    text        text NOT NULL,
    hashtags    text[] NOT NULL DEFAULT '{}',
    version     integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    deleted_at  timestamptz,
    deleted_by  uuid
);
CREATE INDEX comments_by_customer ON comments (customer_id, created_at DESC, id DESC);
CREATE INDEX comments_page ON comments (created_at DESC, id DESC);
CREATE INDEX comments_hashtags ON comments USING gin (hashtags);

CREATE TABLE comment_mentions (
    comment_id      uuid NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    user_id         uuid NOT NULL,
    username        text NOT NULL,
    acknowledged_at timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (comment_id, user_id)
);
CREATE INDEX comment_mentions_by_user ON comment_mentions (user_id);

CREATE TABLE comment_reads (
    comment_id uuid NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    user_id    uuid NOT NULL,
    read_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (comment_id, user_id)
);

-- One inbox per user; the bigint id orders the inbox and is the SSE event id (Last-Event-ID).
CREATE TABLE notifications (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    uuid NOT NULL,
    type       text NOT NULL,
    important  boolean NOT NULL DEFAULT false,
    title      text NOT NULL DEFAULT '',
    body       text,
    data       jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    read_at    timestamptz
);
CREATE INDEX notifications_inbox ON notifications (user_id, id DESC);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;

-- Every insert wakes the SSE listeners of every replica (delivered at commit).
CREATE FUNCTION notifications_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('crm_notifications', json_build_object('id', NEW.id, 'user_id', NEW.user_id)::text);
    RETURN NULL;
END $$;
CREATE TRIGGER notifications_notify AFTER INSERT ON notifications
    FOR EACH ROW EXECUTE FUNCTION notifications_notify();
