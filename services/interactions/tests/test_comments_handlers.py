"""Comments, mentions and notifications against real PostgreSQL: parsing, visibility through the
customer (viewers comment, colleagues get 404), mention -> notification -> acknowledgement,
hashtag search, per-user read state, deleted comments for managers only, events."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from interactions_support import code_of, customer_of, outbox, principal

from crmkit.auth import Principal
from crmkit.domain_errors import Invalid

from crm_interactions.domain import comments as parsing
from crm_interactions.handlers import care_tickets, comments, erasure, notifications, support_tickets
from crm_interactions.handlers.timeline import read_timeline
from crm_interactions.storage import LocalStorage

TEAM, OTHER = "/root/branch/team/", "/root/other/"


async def named(pool, path: str, username: str, *roles: str) -> Principal:
    user_id = uuid.uuid4()
    await pool.execute("INSERT INTO directory_users (id, username, unit_path, active, changed_at)"
                       " VALUES ($1, $2, $3, true, now())", user_id, username, path)
    return Principal(user_id=user_id, username=username, unit_id=None, unit_path=path,
                     roles=frozenset(roles or ("sales",)))


def test_parsing_hashtags_and_mentions():
    text = "Khách quan tâm #tele #ChămSóc @Rep2, mail a@b.com #Tele @rep2. #1 (#đã_gọi) x#no @ghost"
    assert parsing.hashtags(text) == ["tele", "chamsoc", "da_goi"]
    assert parsing.mentions(text) == ["rep2", "ghost"]
    assert parsing.fold_hashtag("#TÊ_LÊ") == "te_le" and parsing.fold_hashtag("Đã gọi") == "da_goi"
    assert parsing.mentions("@a.b-c. end") == ["a.b-c"] and parsing.hashtags("") == []


async def test_viewer_comments_colleague_gets_404(pool):
    rep = await named(pool, TEAM, "rep1")
    viewer = await named(pool, OTHER, "viewer1")
    colleague = await named(pool, TEAM, "rep3")
    customer_id = await customer_of(pool, rep, viewers=(viewer.user_id,))
    posted = await comments.post(pool, principal=viewer, customer_id=customer_id, text="Đã gọi #tele")
    assert posted["author_id"] == viewer.user_id and posted["hashtags"] == ["tele"] and posted["read"]
    assert await code_of(comments.post(pool, principal=colleague, customer_id=customer_id, text="x")) == (404, "not_found")
    assert await code_of(comments.get(pool, principal=colleague, comment_id=posted["id"])) == (404, "not_found")
    assert await code_of(comments.list_comments(pool, principal=colleague, customer_id=customer_id)) == (404, "not_found")
    assert await code_of(comments.post(pool, principal=rep, customer_id=customer_id, text="   ")) == (422, "validation_error")
    entries, _ = await read_timeline(pool, principal=rep, customer_id=customer_id, limit=10, cursor=None,
                                     types=["comment"])
    assert [(e["note"], e["data"]["comment_id"]) for e in entries] == [("Đã gọi #tele", str(posted["id"]))]
    [event] = await outbox(pool, "comment.posted")
    assert (event["id"], event["customer_id"], event["hashtags"]) == (str(posted["id"]), str(customer_id), ["tele"])


async def test_mention_notifies_and_acknowledgement_shows(pool):
    rep = await named(pool, TEAM, "rep1")
    rep2 = await named(pool, OTHER, "rep2")
    other = await named(pool, TEAM, "rep3")
    customer_id = await customer_of(pool, rep, viewers=(rep2.user_id, other.user_id))
    posted = await comments.post(pool, principal=rep, customer_id=customer_id,
                                 text="@REP2 gọi lại giúp #tele, @rep1")
    assert [(m["username"], m["acknowledged_at"]) for m in posted["mentions"]] == [("rep2", None)]
    items, _, unread = await notifications.list_notifications(pool, principal=rep2, important=True)
    assert unread == 1 and [(n["type"], n["important"], n["data"]["comment_id"]) for n in items] == [
        ("mention", True, str(posted["id"]))]
    assert (await notifications.list_notifications(pool, principal=other))[0] == []
    assert await code_of(comments.acknowledge(pool, principal=other, comment_id=posted["id"])) == (403, "not_mentioned")
    acked = await comments.acknowledge(pool, principal=rep2, comment_id=posted["id"])
    again = await comments.acknowledge(pool, principal=rep2, comment_id=posted["id"])
    assert acked["mentions"][0]["acknowledged_at"] is not None
    assert again["mentions"] == acked["mentions"]
    seen = await comments.get(pool, principal=rep, comment_id=posted["id"])
    assert seen["mentions"][0]["user_id"] == str(rep2.user_id) and seen["mentions"][0]["acknowledged_at"]
    assert [e["user_id"] for e in await outbox(pool, "mention.created")] == [str(rep2.user_id)]
    assert [e["user_id"] for e in await outbox(pool, "mention.acknowledged")] == [str(rep2.user_id)]
    # notifications: mark one read, then all; nobody marks another's
    assert await code_of(notifications.mark_read(pool, principal=other, notification_id=items[0]["id"])) == (404, "not_found")
    assert (await notifications.mark_read(pool, principal=rep2, notification_id=items[0]["id"]))["read_at"]
    assert (await notifications.list_notifications(pool, principal=rep2, unread=True))[2] == 0
    # an edit mentioning someone new notifies them once
    edited = await comments.edit(pool, principal=rep, comment_id=posted["id"], expected_version=1,
                                 text="@rep3 xem giúp #chăm_sóc")
    assert [m["username"] for m in edited["mentions"]] == ["rep2", "rep3"]  # the acknowledged mention stays
    assert edited["hashtags"] == ["cham_soc"] and edited["version"] == 2
    assert len((await notifications.list_notifications(pool, principal=other))[0]) == 1
    assert await code_of(comments.edit(pool, principal=rep2, comment_id=posted["id"], expected_version=2,
                                       text="x")) == (403, "not_comment_author")
    assert await code_of(comments.edit(pool, principal=rep, comment_id=posted["id"], expected_version=1,
                                       text="y")) == (412, "version_conflict")
    assert await notifications.mark_all_read(pool, principal=other) == 1


async def test_a_mention_of_someone_who_may_not_see_the_customer_is_refused_naming_them(pool):
    """Issue 8: the colleague got an Important notification with the full text, then 404."""
    rep = await named(pool, TEAM, "mv_rep")
    colleague = await named(pool, TEAM, "mv_colleague")  # same team, not shared: cannot see it
    viewer = await named(pool, OTHER, "mv_viewer")
    boss = await named(pool, "/root/branch/", "mv_boss", "manager")
    admin = await named(pool, "/elsewhere/", "mv_admin", "admin")
    await pool.execute("UPDATE directory_users SET roles = '{manager}' WHERE id = $1", boss.user_id)
    await pool.execute("UPDATE directory_users SET roles = '{admin}' WHERE id = $1", admin.user_id)
    customer_id = await customer_of(pool, rep, viewers=(viewer.user_id,))

    attempt = comments.post(pool, principal=rep, customer_id=customer_id,
                            text="@mv_colleague gọi 0901234567 giúp, @mv_viewer @ghost")
    with pytest.raises(Invalid) as caught:
        await attempt
    problem = caught.value
    assert (problem.code, [(e.field, e.code) for e in problem.errors]) == (
        "validation_error", [("text", "unknown_mention"), ("text", "mention_not_visible_shareable")])
    assert problem.errors[1].params == {"usernames": "@mv_colleague"}
    assert problem.details["unknown_usernames"] == ["ghost"]
    assert problem.details["not_visible"] == [{"user_id": str(colleague.user_id), "username": "mv_colleague"}]
    assert problem.details["can_add_viewers"] is True
    assert problem.details["add_viewer"]["href"] == f"/api/v1/customers/{customer_id}/viewers"
    assert await pool.fetchval("SELECT count(*) FROM notifications") == 0
    assert await pool.fetchval("SELECT count(*) FROM comments") == 0

    # a viewer who may not edit the customer is not offered to share it
    with pytest.raises(Invalid) as caught:
        await comments.post(pool, principal=viewer, customer_id=customer_id, text="@mv_colleague xem")
    assert caught.value.errors[0].code == "mention_not_visible" and caught.value.details["can_add_viewers"] is False
    # who sees the customer is mentioned: a viewer, the manager above the owner, an admin
    posted = await comments.post(pool, principal=rep, customer_id=customer_id,
                                 text="@mv_viewer @mv_boss @mv_admin xem giúp")
    assert sorted(m["username"] for m in posted["mentions"]) == ["mv_admin", "mv_boss", "mv_viewer"]
    # an edit is checked the same way (new mentions only)
    assert await code_of(comments.edit(pool, principal=rep, comment_id=posted["id"], expected_version=1,
                                       text="@mv_viewer @mv_colleague")) == (422, "validation_error")
    assert await pool.fetchval("SELECT count(*) FROM notifications WHERE user_id = $1", colleague.user_id) == 0


async def test_a_mention_on_a_ticket_reaches_who_may_read_the_comment(pool):
    """On a ticket the comment is read by who sees the customer and by the ticket's assignee."""
    rep = await named(pool, TEAM, "mt_rep")
    helper = await named(pool, OTHER, "mt_helper")  # the assignee, who cannot see the customer
    await named(pool, OTHER, "mt_stranger")  # exists, so the refusal below is about reading, not a typo
    customer_id = await customer_of(pool, rep)
    care = await care_tickets.create(pool, principal=rep, customer_id=customer_id, method="call",
                                     planned_at=datetime.now(UTC), assignee_id=helper.user_id)
    posted = await comments.post(pool, principal=rep, ticket_type="care_ticket", ticket_id=care["id"],
                                 text="@mt_helper gọi giúp")
    assert [m["username"] for m in posted["mentions"]] == ["mt_helper"]
    assert (await comments.get(pool, principal=helper, comment_id=posted["id"]))["id"] == posted["id"]
    assert await code_of(comments.post(pool, principal=rep, ticket_type="care_ticket", ticket_id=care["id"],
                                       text="@mt_stranger")) == (422, "validation_error")
    # on the customer itself the assignee may not read it: refused
    assert await code_of(comments.post(pool, principal=rep, customer_id=customer_id,
                                       text="@mt_helper")) == (422, "validation_error")


async def test_hashtag_search_respects_visibility(pool):
    rep = await named(pool, TEAM, "rep1")
    outsider = await named(pool, OTHER, "out1")
    mine = await customer_of(pool, rep)
    theirs = await customer_of(pool, outsider)
    a = await comments.post(pool, principal=rep, customer_id=mine, text="Khách #Tele hẹn")
    await comments.post(pool, principal=outsider, customer_id=theirs, text="#tele của tôi")
    await comments.post(pool, principal=rep, customer_id=mine, text="không có thẻ")
    found, _ = await comments.list_comments(pool, principal=rep, hashtag="#TELE")
    assert [c["id"] for c in found] == [a["id"]]
    assert [c["customer_id"] for c in (await comments.list_comments(pool, principal=outsider, hashtag="tele"))[0]] == [theirs]
    admin = principal("/", "admin")
    assert len((await comments.list_comments(pool, principal=admin, hashtag="tele"))[0]) == 2


async def test_read_state_author_filter_and_pages(pool):
    rep = await named(pool, TEAM, "rep1")
    viewer = await named(pool, OTHER, "viewer1")
    customer_id = await customer_of(pool, rep, viewers=(viewer.user_id,))
    posted = [await comments.post(pool, principal=rep, customer_id=customer_id, text=f"c{i}") for i in range(3)]
    unread, _ = await comments.list_comments(pool, principal=viewer, customer_id=customer_id, read=False)
    assert [c["text"] for c in unread] == ["c2", "c1", "c0"]
    await comments.mark_read(pool, principal=viewer, comment_id=posted[1]["id"])
    assert [c["text"] for c in (await comments.list_comments(pool, principal=viewer, customer_id=customer_id,
                                                               read=True))[0]] == ["c1"]
    assert [c["text"] for c in (await comments.list_comments(pool, principal=rep, customer_id=customer_id,
                                                               read=False))[0]] == []
    first, cursor = await comments.list_comments(pool, principal=viewer, customer_id=customer_id, limit=2)
    second, last = await comments.list_comments(pool, principal=viewer, customer_id=customer_id, limit=2, cursor=cursor)
    assert [c["text"] for c in first + second] == ["c2", "c1", "c0"] and last is None
    assert (await comments.list_comments(pool, principal=viewer, customer_id=customer_id,
                                         author_id=viewer.user_id))[0] == []


async def test_deleted_comments_listable_by_managers_only(pool):
    rep = await named(pool, TEAM, "rep1")
    viewer = await named(pool, OTHER, "viewer1")
    manager = await named(pool, "/root/branch/", "boss", "manager")
    far_manager = await named(pool, OTHER, "farboss", "manager")
    customer_id = await customer_of(pool, rep, viewers=(viewer.user_id, far_manager.user_id))
    posted = await comments.post(pool, principal=viewer, customer_id=customer_id, text="nhầm khách")
    assert await code_of(comments.delete(pool, principal=rep, comment_id=posted["id"])) == (403, "not_deletable")
    assert await code_of(comments.delete(pool, principal=far_manager, comment_id=posted["id"])) == (403, "not_deletable")
    await comments.delete(pool, principal=manager, comment_id=posted["id"])
    assert (await comments.list_comments(pool, principal=rep, customer_id=customer_id))[0] == []
    assert await code_of(comments.get(pool, principal=viewer, comment_id=posted["id"])) == (404, "not_found")
    assert await code_of(comments.list_comments(pool, principal=rep, customer_id=customer_id,
                                                deleted=True)) == (403, "deleted_comments_forbidden")
    deleted, _ = await comments.list_comments(pool, principal=manager, customer_id=customer_id, deleted=True)
    assert [c["id"] for c in deleted] == [posted["id"]] and deleted[0]["deleted_at"] is not None
    [event] = await outbox(pool, "comment.deleted")
    assert (event["id"], event["customer_id"]) == (str(posted["id"]), str(customer_id))
    own = await comments.post(pool, principal=viewer, customer_id=customer_id, text="của tôi")
    await comments.delete(pool, principal=viewer, comment_id=own["id"])


async def test_a_purge_erases_comments_and_the_mention_excerpts(pool, tmp_path):
    rep = await named(pool, TEAM, "purge_rep1")
    rep2 = await named(pool, OTHER, "purge_rep2")
    customer_id = await customer_of(pool, rep, viewers=(rep2.user_id,))
    await comments.post(pool, principal=rep, customer_id=customer_id, text="@purge_rep2 chị Lan ở 12 Lê Lợi #vip")
    async with pool.acquire() as conn:
        await erasure.purge(conn, ids=[customer_id], files=LocalStorage(tmp_path))
    row = await pool.fetchrow("SELECT text, hashtags FROM comments WHERE customer_id = $1", customer_id)
    assert row["text"] == "" and row["hashtags"] == []
    assert await pool.fetchval("SELECT body FROM notifications WHERE user_id = $1", rep2.user_id) is None


async def test_comments_on_tickets(pool):

    rep = await named(pool, TEAM, "tk_rep1")
    helper = await named(pool, OTHER, "tk_helper")   # assignee who cannot see the customer
    colleague = await named(pool, TEAM, "tk_rep3")
    customer_id = await customer_of(pool, rep)
    care = await care_tickets.create(pool, principal=rep, customer_id=customer_id, method="call",
                                     planned_at=datetime.now(UTC),
                                     assignee_id=helper.user_id)
    support = await support_tickets.create(pool, principal=rep, customer_id=customer_id, title="Lỗi thẻ")

    on_care = await comments.post(pool, principal=helper, ticket_type="care_ticket", ticket_id=care["id"],
                                  text="Đã gọi, khách bận @tk_rep1 #goi_lai")
    on_support = await comments.post(pool, principal=rep, ticket_type="support_ticket", ticket_id=support["id"],
                                     text="Chuyển IT")
    on_customer = await comments.post(pool, principal=rep, customer_id=customer_id, text="chung")
    assert (on_care["customer_id"], on_care["ticket_type"], on_care["ticket_id"]) == (customer_id, "care_ticket",
                                                                                       care["id"])
    assert [m["username"] for m in on_care["mentions"]] == ["tk_rep1"]
    # each ticket lists its own; the customer lists all three
    listed = lambda who, **kw: comments.list_comments(pool, principal=who, **kw)  # noqa: E731
    assert [c["id"] for c in (await listed(rep, ticket_type="care_ticket", ticket_id=care["id"]))[0]] == [on_care["id"]]
    assert [c["id"] for c in (await listed(rep, ticket_type="support_ticket", ticket_id=support["id"]))[0]] == [
        on_support["id"]]
    assert [c["id"] for c in (await listed(rep, customer_id=customer_id))[0]] == [
        on_customer["id"], on_support["id"], on_care["id"]]
    # the assignee sees their ticket's comments, and nothing else of the customer
    assert [c["id"] for c in (await listed(helper, ticket_type="care_ticket", ticket_id=care["id"]))[0]] == [
        on_care["id"]]
    assert (await comments.get(pool, principal=helper, comment_id=on_care["id"]))["id"] == on_care["id"]
    assert [c["id"] for c in (await listed(helper, hashtag="goi_lai"))[0]] == [on_care["id"]]
    assert await code_of(comments.get(pool, principal=helper, comment_id=on_customer["id"])) == (404, "not_found")
    assert await code_of(listed(helper, customer_id=customer_id)) == (404, "not_found")
    assert await code_of(listed(helper, ticket_type="support_ticket", ticket_id=support["id"])) == (404, "not_found")
    # an outsider reaches none of it; a wrong ticket type is an unknown ticket
    for attempt in (listed(colleague, ticket_type="care_ticket", ticket_id=care["id"]),
                    comments.post(pool, principal=colleague, ticket_type="care_ticket", ticket_id=care["id"], text="x"),
                    comments.get(pool, principal=colleague, comment_id=on_care["id"]),
                    comments.post(pool, principal=rep, ticket_type="support_ticket", ticket_id=care["id"], text="x")):
        assert await code_of(attempt) == (404, "not_found")
    # the customer's timeline and the event name the ticket
    entries, _ = await read_timeline(pool, principal=rep, customer_id=customer_id, limit=10, cursor=None,
                                     types=["comment"])
    assert [e["data"].get("ticket_id") for e in entries] == [None, str(support["id"]), str(care["id"])]
    posted_events = {e["id"]: e for e in await outbox(pool, "comment.posted")}
    assert posted_events[str(on_care["id"])]["ticket_type"] == "care_ticket"
    assert posted_events[str(on_customer["id"])]["ticket_id"] is None
    # a deleted ticket takes the assignee's access with it
    await care_tickets.delete(pool, principal=rep, ticket_id=care["id"])
    assert await code_of(comments.get(pool, principal=helper, comment_id=on_care["id"])) == (404, "not_found")
