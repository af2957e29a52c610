-- Review (P-4, P-5) and its report: what the reviewer's queue, the decisions and the review-SLA
-- report read.

-- The SLA report reads the decisions of a period (submission → decision, per reviewer and provider).
CREATE INDEX requests_decided ON requests (decided_at) WHERE decided_at IS NOT NULL;

-- The auto rules of a reason, in the order they apply.
CREATE INDEX auto_rules_by_reason ON auto_rules (reason_code, position) WHERE active;

-- Tokens are looked up by their digest (the primary key); expired ones are swept by package.
CREATE INDEX submission_tokens_by_package ON submission_tokens (package_id, expires_at);

-- The abuse guard counts a requester's requests per provider.
CREATE INDEX requests_by_requester_package ON requests (requester_id, package_id) WHERE status <> 'withdrawn';
