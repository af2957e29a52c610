"""The demo organisation's customers, so that a new user sees a living CRM: a few hundred
Vietnamese customers owned by the demo reps of both branches (and some unassigned in each branch),
with statuses, labels, provinces, notes, calls, comments, care tickets, a pair of assignments and a
purchased lead package with requests for compensation ("yêu cầu bù") waiting to be sent for review.

Written through the gateway's public API like a client (the services apply their own rules and
events), as the demo users themselves. Deterministic (one seeded random), and done once: when the
first demo customer exists, nothing is written again. The services learn of new customers from
events, so what follows a creation (history, assignments) waits until its service knows them.
"""
from __future__ import annotations

import asyncio
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

SEED = 20261129
API = "/api/v1"
CUSTOMERS_OF = {"sale.hn1": 50, "sale.hn2": 50, "sale.hn3": 50, "sale.hcm1": 50, "sale.hcm2": 50,
                "manager.hn": 25, "manager.hcm": 25}  # a manager's new customers are unassigned in the branch
CONCURRENCY = 8
EVENTUAL_SECONDS = 60  # how long a service may take to learn of a new customer

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
          "Dương", "Lý", "Đinh", "Trịnh", "Mai", "Cao"]
MIDDLE = {"male": ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Gia", "Công"],
          "female": ["Thị", "Ngọc", "Thu", "Thanh", "Minh", "Bảo", "Kim", "Phương"]}
GIVEN = {"male": ["An", "Bình", "Cường", "Dũng", "Hải", "Hiếu", "Hùng", "Khánh", "Long", "Nam", "Phong", "Quân",
                  "Quang", "Sơn", "Thắng", "Trung", "Tuấn", "Việt", "Đạt", "Lộc"],
         "female": ["Anh", "Chi", "Giang", "Hà", "Hạnh", "Hoa", "Huyền", "Lan", "Linh", "Mai", "Nga", "Ngân",
                    "Nhung", "Phương", "Thảo", "Trang", "Tú", "Vy", "Yến", "Diệp"]}
# Viettel, Mobifone and Vinaphone prefixes outside 09x (which the end-to-end tests draw from)
MOBILE_PREFIXES = ["032", "033", "034", "035", "036", "037", "038", "039", "070", "076", "077", "078", "079",
                   "081", "082", "083", "084", "085", "086", "088"]
# GSO codes of current provinces, near each branch
PROVINCES = {"hn": [1, 1, 1, 1, 31, 24, 22, 33, 37, 19, 38, 40, 25],
             "hcm": [79, 79, 79, 79, 75, 80, 92, 82, 86, 96, 91, 68, 56, 48]}
STATUSES = ["new"] * 5 + ["contacted"] * 4 + ["potential"] * 3 + ["contract_closed"] * 2 + ["refused", "wrong_number"]
PLAIN_LABELS = ["reputable", "regular", "premium"]
TEMPERATURES = ["hot", "warm", "cold"]
SOURCES = ["Facebook", "Website", "Zalo", "Người quen giới thiệu", "Hội chợ triển lãm", "Tổng đài", "Google"]
STREETS = ["Lê Lợi", "Trần Hưng Đạo", "Nguyễn Trãi", "Hai Bà Trưng", "Lý Thường Kiệt", "Nguyễn Huệ", "Điện Biên Phủ",
           "Phan Đình Phùng", "Cách Mạng Tháng Tám", "Võ Văn Tần"]
NOTES = ["Khách quan tâm gói vay mua nhà, hẹn gửi bảng lãi suất.", "Đã gửi báo giá qua Zalo, chờ phản hồi.",
         "Khách muốn gặp trực tiếp tại chi nhánh vào cuối tuần.", "Khách hỏi về ưu đãi cho khách hàng thân thiết.",
         "Khách đang so sánh với bên khác, cần chăm sóc thêm.", "Đã xác nhận địa chỉ giao hợp đồng."]
CALL_NOTES = ["Khách hẹn gọi lại sau 17h.", "Tư vấn xong, khách cân nhắc thêm.", "Khách đồng ý nhận tài liệu.",
              "Không nghe máy.", "Khách bận họp, gọi lại ngày mai."]
COMMENTS = ["Khách tiềm năng, ưu tiên chăm sóc tuần này #uutien", "Cần bổ sung CCCD trước khi ký #hoso",
            "Khách phản hồi tốt về dịch vụ #phanhoi", "Đã chuyển thông tin cho bộ phận thẩm định #thamdinh"]
CARE = [("call", "Gọi chăm sóc sau tư vấn"), ("meeting", "Hẹn gặp ký hợp đồng"), ("zalo", "Gửi tài liệu qua Zalo"),
        ("email", "Gửi email báo giá")]
OUTCOMES = ["reached", "reached", "reached", "no_answer", "busy", "call_back_later"]


@dataclass
class DemoCustomer:
    creator: str  # the demo user who creates it (a rep owns it; a manager's stays unassigned)
    branch: str
    fields: dict[str, Any]
    note: str | None = None
    call: dict[str, Any] | None = None
    comment: str | None = None
    care: dict[str, Any] | None = None
    id: str | None = None


@dataclass
class CustomersResult:
    created: int = 0
    skipped: bool = False
    history: int = 0
    assignments: int = 0
    package_leads: int = 0
    compensation_requests: int = 0
    by_creator: dict[str, int] = field(default_factory=dict)


def plan(seed: int = SEED) -> list[DemoCustomer]:
    """The demo customers and their history, the same on every run."""
    rnd = random.Random(seed)
    phones: set[str] = set()
    customers = []
    for creator, count in CUSTOMERS_OF.items():
        branch = "hcm" if "hcm" in creator else "hn"
        for _ in range(count):
            customers.append(_customer(rnd, creator, branch, phones))
    return customers


def _customer(rnd: random.Random, creator: str, branch: str, phones: set[str]) -> DemoCustomer:
    gender = rnd.choice(["male", "female"])
    name = f"{rnd.choice(FAMILY)} {rnd.choice(MIDDLE[gender])} {rnd.choice(GIVEN[gender])}"
    phone = _mobile(rnd, phones)
    status = rnd.choice(STATUSES)
    labels = rnd.sample(PLAIN_LABELS, rnd.choice([0, 0, 1, 1, 2]))
    if rnd.random() < 0.6:
        labels.append(rnd.choice(TEMPERATURES))  # at most one temperature
    fields: dict[str, Any] = {
        "name": name, "phone": phone, "gender": gender, "province": rnd.choice(PROVINCES[branch]),
        "status": status, "labels": labels, "source": rnd.choice(SOURCES),
        "lifecycle": "customer" if status == "contract_closed" else "lead"}
    if rnd.random() < 0.5:
        fields["email"] = f"{_ascii(name)}{rnd.randint(1, 999)}@example.vn"
    if rnd.random() < 0.4:
        fields["birthday"] = f"{rnd.randint(1960, 2002)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
    if rnd.random() < 0.4:
        fields["address"] = f"Số {rnd.randint(1, 300)} đường {rnd.choice(STREETS)}"
    customer = DemoCustomer(creator=creator, branch=branch, fields=fields)
    if rnd.random() < 0.35:
        customer.note = rnd.choice(NOTES)
    if rnd.random() < 0.35:
        outcome = rnd.choice(OUTCOMES)
        customer.call = {"direction": rnd.choice(["out", "out", "in"]), "outcome": outcome,
                         "duration_seconds": rnd.randint(30, 900) if outcome == "reached" else 0,
                         "note": rnd.choice(CALL_NOTES), "days_ago": rnd.randint(0, 20)}
    if rnd.random() < 0.12:
        customer.comment = rnd.choice(COMMENTS)
    if rnd.random() < 0.12:
        method, note = rnd.choice(CARE)
        customer.care = {"method": method, "note": note, "days_ahead": rnd.randint(1, 10), "hour": rnd.randint(8, 17)}
    return customer


def _mobile(rnd: random.Random, taken: set[str]) -> str:
    while True:
        phone = rnd.choice(MOBILE_PREFIXES) + f"{rnd.randrange(10**7):07d}"
        if phone not in taken:
            taken.add(phone)
            return phone


def _ascii(name: str) -> str:
    folded = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in folded if c.isascii() and c.isalnum()).lower()


class _Client:
    """The gateway, as each demo user (their bearer tokens), waiting out rate limits."""

    def __init__(self, http: httpx.AsyncClient, tokens: dict[str, str]) -> None:
        self.http, self.tokens = http, tokens
        self.gate = asyncio.Semaphore(CONCURRENCY)

    async def call(self, who: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.tokens[who]}"}
        while True:
            async with self.gate:
                response = await self.http.request(method, API + path, headers=headers, **kwargs)
            if response.status_code != 429:
                return response
            await asyncio.sleep(float(response.headers.get("Retry-After", "1")))

    async def until(self, who: str, method: str, path: str, *, waiting: tuple[int, ...], **kwargs: Any
                    ) -> httpx.Response:
        """Repeat while the answer is one of `waiting` (a service not yet knowing a new customer)."""
        deadline = asyncio.get_running_loop().time() + EVENTUAL_SECONDS
        while True:
            response = await self.call(who, method, path, **kwargs)
            if response.status_code not in waiting or asyncio.get_running_loop().time() > deadline:
                return response
            await asyncio.sleep(0.3)


async def load(gateway_url: str, tokens: dict[str, str], user_ids: dict[str, str], *, seed: int = SEED
               ) -> CustomersResult:
    """Create the demo customers and their history unless the first of them exists already.
    `tokens`, `user_ids`: an access token and the id of each demo user, by username."""
    customers = plan(seed)
    result = CustomersResult()
    async with httpx.AsyncClient(base_url=gateway_url, timeout=30) as http:
        client = _Client(http, tokens)
        first = customers[0]
        found = await client.call(first.creator, "GET", "/customers", params={"q": first.fields["phone"]})
        _expect(found, 200)
        if found.json()["items"]:
            result.skipped = True
            return result
        await asyncio.gather(*(_create(client, c) for c in customers))
        result.created = len(customers)
        for c in customers:
            result.by_creator[c.creator] = result.by_creator.get(c.creator, 0) + 1
        result.history = sum(await asyncio.gather(*(_history(client, c) for c in customers)))
        result.assignments = await _assignments(client, customers, user_ids)
        result.package_leads, result.compensation_requests = await _lead_package(client, customers, user_ids)
    return result


def _expect(response: httpx.Response, *statuses: int) -> None:
    if response.status_code not in statuses:
        raise RuntimeError(f"demo: {response.request.method} {response.request.url.path} answered "
                           f"{response.status_code}: {response.text[:500]}")


async def _create(client: _Client, customer: DemoCustomer) -> None:
    response = await client.call(customer.creator, "POST", "/customers", json=customer.fields)
    if response.status_code == 409 and response.json().get("existing_id"):  # left by an interrupted run
        customer.id = response.json()["existing_id"]
        return
    _expect(response, 201)
    customer.id = response.json()["id"]


async def _history(client: _Client, customer: DemoCustomer) -> int:
    """The customer's notes, calls, comments and care tickets (by its creator); how many."""
    who, base, now = customer.creator, f"/customers/{customer.id}", datetime.now(UTC)
    writes: list[tuple[str, dict[str, Any]]] = []
    if customer.note:
        writes.append((f"{base}/notes", {"text": customer.note}))
    if customer.call:
        call = dict(customer.call)
        started = now - timedelta(days=call.pop("days_ago"), hours=2)
        writes.append((f"{base}/calls", {**call, "started_at": started.isoformat()}))
    if customer.comment:
        writes.append((f"{base}/comments", {"text": customer.comment}))
    if customer.care:
        care = customer.care
        planned = (now + timedelta(days=care["days_ahead"])).replace(hour=care["hour"] - 7, minute=0, second=0,
                                                                     microsecond=0)
        writes.append(("/care-tickets", {"customer_id": customer.id, "method": care["method"], "note": care["note"],
                                         "planned_at": planned.isoformat()}))
    for path, body in writes:
        _expect(await client.until(who, "POST", path, json=body, waiting=(404,)), 201)
    return len(writes)


async def _assignments(client: _Client, customers: list[DemoCustomer], user_ids: dict[str, str]) -> int:
    """Each branch manager gives five of their unassigned customers directly to a rep and offers
    five to another (who has yet to accept or decline)."""
    made = 0
    for manager, direct_to, offer_to in (("manager.hn", "sale.hn1", "sale.hn2"),
                                         ("manager.hcm", "sale.hcm1", "sale.hcm2")):
        pool = [c.id for c in customers if c.creator == manager]
        for rep, share, direct in ((direct_to, pool[:5], True), (offer_to, pool[5:10], False)):
            body = {"customer_ids": share, "text": "Liên hệ tư vấn trong tuần này", "direct": direct,
                    "job": {"content": "Chăm sóc khách hàng mới", "type": "Gọi điện tư vấn"},
                    "assignees": [user_ids[rep]]}
            # 422 until the assignment service knows the customers and the rep (events)
            _expect(await client.until(manager, "POST", "/assignments", json=body, waiting=(422,)), 201)
            made += 1
    return made


PACKAGE_LEADS = 12
PACKAGE_POLICY = {"reasons": ["wrong_number", "unreachable", "duplicate", "fake_information"], "window_days": 30,
                  "max_share": 0.2, "min_call_attempts": 3}


async def _lead_package(client: _Client, customers: list[DemoCustomer], user_ids: dict[str, str]) -> tuple[int, int]:
    """manager.hn bought a package of leads for sale.hn1 ("gói tài khoản"); sale.hn1 called one of them
    three times — a wrong number each time — and asked for compensation for it and for a duplicate:
    two drafts, ready for "Gửi xét duyệt". Returns (leads, requests)."""
    leads = [c for c in customers if c.creator == "sale.hn1"][:PACKAGE_LEADS]
    now = datetime.now(UTC)
    response = await client.call("manager.hn", "POST", "/lead-packages", json={
        "name": "Gói data khách hàng vay tiêu dùng tháng 11", "provider": "Công ty Dữ liệu Việt",
        "owner_id": user_ids["sale.hn1"], "purchased_at": (now - timedelta(days=5)).isoformat(),
        "policy": PACKAGE_POLICY})
    _expect(response, 201)
    package_id = response.json()["id"]
    body = {"customer_ids": [c.id for c in leads], "delivered_at": (now - timedelta(days=4)).isoformat()}
    deadline = asyncio.get_running_loop().time() + EVENTUAL_SECONDS
    while True:  # customers the service does not know yet (events) come back `unknown`: add them again
        added = await client.call("manager.hn", "POST", f"/lead-packages/{package_id}/leads", json=body)
        _expect(added, 200)
        if not added.json()["unknown"] or asyncio.get_running_loop().time() > deadline:
            break
        await asyncio.sleep(0.3)
    wrong = leads[0]
    for attempt in range(3):
        started = now - timedelta(days=3 - attempt, hours=1)
        _expect(await client.until("sale.hn1", "POST", f"/customers/{wrong.id}/calls", waiting=(404,), json={
            "direction": "out", "outcome": "wrong_number", "duration_seconds": 20 + attempt,
            "note": "Người nghe máy nói không phải khách hàng", "started_at": started.isoformat()}), 201)
    requests = 0
    for lead, reason, text in ((wrong, "wrong_number", "Gọi 3 lần đều sai người"),
                               (leads[1], "duplicate", "Khách đã có trong gói tháng trước")):
        # 422 until the compensation service has counted the calls (events)
        _expect(await client.until("sale.hn1", "POST", "/compensation-requests", waiting=(404, 422), json={
            "customer_id": lead.id, "package_id": package_id, "reason_code": reason, "reason_text": text}), 201)
        requests += 1
    return len(leads), requests
