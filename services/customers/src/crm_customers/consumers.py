"""{event type: handler} for the topics the customers service subscribes to; what each handler
reads of its event is declared in `crm_customers.consumed_events` (validated once by
`crmkit.consumer.typed`; refused data is retried, then dead-lettered).

Identity events (`crm.identity`: users, units) are consumed by crmkit's directory consumer.

`crm.interactions` → the counts on a customer's detail (C-14, `handlers.read_models`): timeline
entries, care tickets, open support tickets (pending/processing), attachments, comments.
Idempotent twice over: the inbox skips a redelivered event id, and items are remembered, so a
second create of the same item, a delete of an item never counted, or a status change older than
the last applied one change nothing. Counters never go below zero.

`crm.assignment` → owner and holder (`handlers.assignments`): offered = the assignee holds;
accepted/direct = the assignee owns and holds (unit from the directory, else the event);
declined/expired = this assignee's hold ends; recalled = hold ends and ownership reverts to the
previous owner (unplaceable or none: unassigned, unit kept). Each changed customer: version + 1;
the changes of one event are published as `customers.bulk_owner_changed` batch events (≤ 2,000
customers each), not per customer (E-3). An assignee unknown to the directory and not described
by the event fails the event (retried, then dead-lettered for replay).

`crm.customers.commands` → import chunks (`handlers.imports`): `customers.import_chunk`, a chunk
of an import job's mapped rows, validated, deduplicated by phone, written in one transaction with
the inbox row (a re-sent chunk has the same envelope id: skipped), answered with
`customers.import_chunk_applied`; its own consumer group, so that a million-row import never
holds up the counts or the assignments. Several members of that group per process (setting
`import_consumers`, CRM_CUSTOMERS_IMPORT_CONSUMERS, default IMPORT_MEMBERS): the
import service keys each chunk by itself (`<job>:<chunk>`), so a job's chunks spread over the
topic's partitions and the members apply them side by side — one chunk's row checks (Python, in a
thread) run while another's writes run in PostgreSQL, instead of one after the other. Their order
does not matter (`handlers.imports`: no two chunks of a job carry one phone; inserts lock phones
in order; the job's new group is created once).
"""
from crmkit.service import ConsumerSpec

from crm_customers.handlers import assignments, imports, read_models

INTERACTIONS_TOPIC = "crm.interactions"
ASSIGNMENT_TOPIC = "crm.assignment"
COMMANDS_TOPIC = "crm.customers.commands"
# Members of the import consumer group in each process (one inbox, one group: Kafka gives each its
# share of the partitions). Two, for the two steps of a chunk that can overlap (row checks, writes);
# measured in docs/benchmarks.md "Imports".
IMPORT_MEMBERS = 2
# Members of the assignment consumer group in each process. A distribution's events are keyed by
# assignment (one per rep), so they spread over the topic's partitions and two members apply two
# reps' shares side by side: each share's UPDATE is one backend's work (index maintenance), and a
# second backend uses the second core. Safe in any order: customers are locked in id order, and an
# event older than the last applied to a customer is skipped (`sequence`, A-7). At loads 5-8 on
# the shared 2-core machine the gain was inside the noise (docs/benchmarks.md "A distribution of
# 100,000 leads, issue 13"); 1 restores applying one event after the other.
ASSIGNMENT_MEMBERS = 2


def consumers(import_members: int = IMPORT_MEMBERS, assignment_members: int = ASSIGNMENT_MEMBERS
              ) -> list[ConsumerSpec]:
    return [
        ConsumerSpec(name="interactions", topics=[INTERACTIONS_TOPIC], handlers=read_models.HANDLERS),
        *(ConsumerSpec(name="assignment", topics=[ASSIGNMENT_TOPIC], handlers=assignments.HANDLERS)
          for _ in range(assignment_members)),
        *(ConsumerSpec(name="import", topics=[COMMANDS_TOPIC], handlers=imports.HANDLERS)
          for _ in range(import_members)),
    ]


CONSUMERS = consumers()
