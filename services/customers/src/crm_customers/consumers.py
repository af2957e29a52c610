"""{event type: handler} for the topics the customers service subscribes to.

Identity events (`crm.identity`: users, units) are consumed by crmkit's directory consumer.

## `crm.interactions` → the counts on a customer's detail (C-14, `handlers.read_models`)
Every payload names the item (`id`) and its customer (`customer_id`; an event without it is not
counted — a comment or attachment on a ticket carries the ticket's customer). Times come from the
envelope's `occurred_at`.
| type | data | effect |
|---|---|---|
| `interaction.recorded` | `{id, customer_id, type, occurred_at, ...}` (published today) | timeline + 1 |
| `interactions.bulk_recorded` | `{type, entry_ids: [], customer_ids: []}` (entries from one batch event, parallel arrays) | timeline + 1 per entry |
| `care_ticket.created` | `{id, customer_id, ...}` | care_tickets + 1 |
| `care_ticket.deleted` | `{id, customer_id}` | care_tickets − 1 |
| `support_ticket.created` | `{id, customer_id, status}` (`pending` when absent) | open_support_tickets + 1 if pending/processing |
| `support_ticket.status_changed` | `{id, customer_id, from, to}` | open_support_tickets ± 1 when openness changes |
| `support_ticket.deleted` | `{id, customer_id}` | open_support_tickets − 1 if it was open |
| `attachment.added` / `attachment.deleted` | `{id, customer_id, ...}` | attachments ± 1 |
| `comment.posted` / `comment.deleted` | `{id, customer_id, ...}` | comments ± 1 |
Idempotent twice over: the inbox skips a redelivered event id, and items are remembered, so a
second create of the same item, a delete of an item never counted, or a status change older than
the last applied one change nothing. Counters never go below zero.

## `crm.assignment` → owner and holder (`handlers.assignments`)
Common data: `assignment_id`, `assignee_id`, `customer_ids[]` (all of a distribution's customers
of that assignee in one event), optional `job_id`; optional `assignee_unit_id` /
`assignee_unit_path` used when the user directory does not know the assignee yet.
| type | effect on each customer |
|---|---|
| `assignment.offered` | holder = assignee (waiting for acceptance: scope `holding`) |
| `assignment.accepted` | owner = holder = assignee (owner unit = the assignee's unit) |
| `assignment.direct` | owner = holder = assignee (direct assignment, A-4) |
| `assignment.declined` / `assignment.expired` | holder cleared if it is the assignee; owner unchanged |
| `assignment.recalled` | if the assignee holds it: holder cleared; if the assignee owns it: owner = `previous_owner_ids[customer_id]` (a map), else `previous_owner_id`, else none (unassigned, unit kept). The owner's unit comes from the directory, else `previous_owner_units[customer_id]` (`{unit_id, unit_path}`), else `previous_owner_unit_id` / `previous_owner_unit_path`; a previous owner nobody can place leaves the customer unassigned in its unit (the event does not fail) |
Each changed customer: version + 1. The changes of one assignment event are published as
`customers.bulk_owner_changed` batch events (≤ 5,000 customers each, parallel arrays of from/to
owner and holder, unit, version), not per customer: a distribution of 100,000 leads must not
flood the subscribers (E-3). An assignee unknown to the directory and
not described by the event fails the event (retried, then dead-lettered for replay).
"""
from crmkit.service import ConsumerSpec
from crm_customers.handlers import assignments, read_models

INTERACTIONS_TOPIC = "crm.interactions"
ASSIGNMENT_TOPIC = "crm.assignment"

CONSUMERS = [
    ConsumerSpec(name="interactions", topics=[INTERACTIONS_TOPIC], handlers=read_models.HANDLERS),
    ConsumerSpec(name="assignment", topics=[ASSIGNMENT_TOPIC], handlers=assignments.HANDLERS),
]
