"""Each user's private iCalendar (RFC 5545) feed (I-8): a random token in the URL, kept only as
its SHA-256; the feed lists the user's appointments and planned care tickets, for calendar apps
(Google Calendar, Outlook) that poll it without logging in."""
from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
from icalendar import Calendar, Event

from crmkit.auth import Principal
from crmkit.domain_errors import NotFound

from crm_interactions.domain.tickets import LOCAL_TIME
from crm_interactions.store import appointments as store

FEED_PATH = "/api/v1/me/calendar.ics"
PAST, FUTURE = timedelta(days=30), timedelta(days=365)
PRODID = "-//CRM//Interactions calendar//VI"
UID_DOMAIN = "crm-interactions"
TYPE_LABELS = {"meeting": "Gặp khách", "call": "Gọi điện", "task": "Công việc",
               "payment_due": "Hạn thanh toán", "other": "Lịch hẹn"}
CARE_METHOD_LABELS = {"call": "gọi điện", "meeting": "gặp mặt", "email": "email", "sms": "SMS", "zalo": "Zalo"}
CARE_DURATION = timedelta(minutes=30)


def _hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


async def create_feed(pool: asyncpg.Pool, *, principal: Principal) -> str:
    """A new token for the caller (the previous one, if any, stops working); returns the feed path."""
    token = secrets.token_urlsafe(32)
    async with pool.acquire() as conn:
        await store.set_feed(conn, user_id=principal.user_id, token_hash=_hash(token))
    return f"{FEED_PATH}?token={token}"


async def revoke_feed(pool: asyncpg.Pool, *, principal: Principal) -> None:
    async with pool.acquire() as conn:
        await store.delete_feed(conn, user_id=principal.user_id)


async def render_feed(pool: asyncpg.Pool, *, token: str | None, now: datetime | None = None) -> bytes:
    """The VCALENDAR of the token's owner; an unknown, revoked or absent token is NotFound (same answer)."""
    if not token or len(token) > 200:
        raise NotFound()
    now = now or datetime.now(UTC)
    start, end = now - PAST, now + FUTURE
    async with pool.acquire() as conn:
        user_id = await store.feed_owner(conn, token_hash=_hash(token))
        if user_id is None:
            raise NotFound()
        appointments = await store.feed_appointments(conn, user_id=user_id, start=start, end=end)
        care = await store.feed_care_tickets(conn, user_id=user_id, start=start, end=end)
    return build_calendar(user_id, [dict(r) for r in appointments], [dict(r) for r in care]).to_ical()


def build_calendar(user_id: uuid.UUID, appointments: list[dict[str, Any]],
                   care_tickets: list[dict[str, Any]]) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "CRM – Lịch hẹn")
    calendar.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    calendar.add("x-published-ttl", "PT1H")
    for row in appointments:
        calendar.add_component(_appointment_event(row))
    for row in care_tickets:
        calendar.add_component(_care_event(row))
    return calendar


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def _appointment_event(row: dict[str, Any]) -> Event:
    event = Event()
    event.add("uid", f"appointment-{row['id']}@{UID_DOMAIN}")
    event.add("dtstamp", _utc(row["updated_at"]))
    event.add("last-modified", _utc(row["updated_at"]))
    event.add("sequence", row["version"])
    if row["all_day"]:
        first = row["starts_at"].astimezone(LOCAL_TIME).date()
        last = row["ends_at"].astimezone(LOCAL_TIME).date() if row["ends_at"] else first
        event.add("dtstart", first)
        event.add("dtend", max(last, first) + timedelta(days=1))  # DTEND of a date is exclusive
    else:
        event.add("dtstart", _utc(row["starts_at"]))
        if row["ends_at"] is not None:
            event.add("dtend", _utc(row["ends_at"]))
    event.add("summary", f"{TYPE_LABELS.get(row['type'], 'Lịch hẹn')}: {row['title']}")
    if row["note"]:
        event.add("description", row["note"])
    if row["location"]:
        event.add("location", row["location"])
    event.add("status", "CONFIRMED")
    event.add("categories", [row["type"]])
    if row["customer_id"] is not None:
        event.add("x-crm-customer-id", str(row["customer_id"]))
    return event


def _care_event(row: dict[str, Any]) -> Event:
    event = Event()
    event.add("uid", f"care-ticket-{row['id']}@{UID_DOMAIN}")
    event.add("dtstamp", _utc(row["updated_at"]))
    event.add("last-modified", _utc(row["updated_at"]))
    event.add("sequence", row["version"])
    event.add("dtstart", _utc(row["planned_at"]))
    event.add("dtend", _utc(row["planned_at"] + CARE_DURATION))
    event.add("summary", f"Chăm sóc khách hàng ({CARE_METHOD_LABELS.get(row['method'], row['method'])})")
    if row["note"]:
        event.add("description", row["note"])
    event.add("status", "CONFIRMED")
    event.add("categories", ["care"])
    event.add("x-crm-customer-id", str(row["customer_id"]))
    return event
