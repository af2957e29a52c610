"""The SQL of a customer selection: one WHERE builder for lists, bulk actions and exports (C-6,
C-7, C-10, C-13), so that a selection means the same rows everywhere and always stays inside what
the caller may see:

    async def customer_where(conn: asyncpg.Connection, flt: CustomerFilter, principal: Principal, *,
                             params: Params | None = None, alias: str = "c",
                             include_deleted: bool = False) -> tuple[str, Params]

returns a SQL boolean expression over the `customers` row `alias` (visibility of
store.customers.visible_sql AND scope AND search AND every filter) and the positional arguments it
uses (a `Params` list; pass your own to continue its numbering). It raises
`Invalid` with field errors for unknown statuses, labels, provinces,
choices and attributes that are not defined or not filterable. Example:

    where, params = await customer_where(conn, CustomerFilter(scope="mine", labels=["hot"]), principal)
    await conn.execute(f"UPDATE customers c SET ... WHERE {where}", *params)

The filter model is `domain.selection.CustomerFilter`.

Search (`q`) reads the customer's row of `customer_search` (migrations 0011, 0013: kept by
triggers, apart from `customers` so that owner, label and status changes never touch its indexes):
the words of the query, folded like `crm_fold` (lower case, no diacritics, đ → d), must each start
a word of its `search_doc` (name, company, e-mail, tax code), or (the typo fallback, `fuzzy`) so
must a known prefix within each word's typo budget (domain.typos, customers 0028). When the words are
rare together (the planner's estimate ≤ √(200 × rows), at least 1,000), the matches' ids come from
the stored word prefixes (`left(w, 8)` of every word of 2+ characters is an exact GIN key) and
one-letter and longer words add their LIKE; otherwise the rule is `LIKE '% word%'` per word on
`search_doc`, tested on the rows the plan walks (the recency index holds the text: store.paging) or
probes. Both forms mean the same rows. A query that looks like a phone number matches the normalised
phone exactly, phone suffixes of 4+ digits (`phone_rev`) and words starting with its digits (a tax
code: the word's prefix key; digits written in groups: their keys and the phrase on `search_doc`).
"""
from __future__ import annotations

import functools
import math
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any, TypeVar

import asyncpg

from crmkit import directory
from crmkit.access import subtree_path
from crmkit.auth import Principal
from crmkit.domain_errors import FieldError, Invalid

from crm_customers.domain.attributes import (
    KEY_PATTERN,
    AttributeType,
    InvalidAttributes,
    define_attribute,
    validate_values,
)
from crm_customers.domain.errors import RuleViolation
from crm_customers.domain.fields import normalize_choice, normalize_organization_size
from crm_customers.domain.phones import InvalidPhone, normalize_phone
from crm_customers.domain.provinces import normalize_province
from crm_customers.domain.selection import CustomerFilter, Scalar, range_end, range_start
from crm_customers.domain.text import fold_words
from crm_customers.domain.typos import alternatives as typo_alternatives
from crm_customers.store import configuration as config_store
from crm_customers.store import search_words
from crm_customers.store.customers import Params, access_of, shared_with_sql, subtree_sql, visible_sql
from crm_customers.store.paging import Matches, estimated_rows, kept_rows, table_rows


class _Problems(list[FieldError]):
    def add(self, field: str, code: str, **params: Any) -> None:
        self.append(FieldError(field, code, {k: v for k, v in params.items() if isinstance(v, (str, int, float))}))



_PHONE_LIKE = re.compile(r"^\+?[\d\s().\-]+$")
PHONE_SUFFIX_MIN = 4
WHOLE_PHONE_MIN = 8
# A suffix of 4 digits matches ~N / 10,000 phones (100 at 1M, 1,000 at 10M), of 5 ~N / 100,000: more
# than a page, read newest first (paging.Matches: ~21 customers fetched instead of every match and a
# sort; 1M, through the gateway: the 4-digit suffix's PostgreSQL CPU 1.21–1.26 → 0.81–0.91 ms a request).
# From 6 digits (~1 at 1M) the ordinary page is cheaper: the newest-first statement costs more to plan
# than it saves (0.36–0.39 → 0.42–0.48 ms).
FEW_PHONES_SUFFIX = 6
PREFIX_MAX = 8  # the longest stored word prefix (crm_word_prefixes, migration 0011)
T = TypeVar("T")  # what a choice normalises to (a text value, a province code)


def _word_prefix(words: list[str]) -> str:
    """LIKE pattern of words (folded: only a-z and 0-9) starting a word of `search_doc`."""
    return "% " + " ".join(words) + "%"


@dataclass(frozen=True)
class SearchRule:
    """A search's condition over the customer's `customer_search` row `s`, read either with the
    ids first (few matches: their ids from an index, then the customers by primary key) or row by
    row (many: `EXISTS`); `spacing` (rows of the table per match, estimated) when the matches are
    many enough for a walk of the newest rows to fill a page first (`listing_where`)."""
    condition: str
    ids_first: bool = False
    spacing: float | None = None
    phone: str | None = None  # the parameter of a normalised phone, matched on `customers` itself
    by_prefixes: bool = False  # the words have keys in the prefix GIN (store.paging.newest_matches_page)
    many_phones: bool = False  # a short phone suffix: maybe more matches than a page (newest_matches_page)
    words: tuple[str, ...] = ()  # the query's folded words (the walk's and the matches' conditions)

    def sql(self, alias: str = "c") -> str:
        if self.ids_first:
            ids = f"{alias}.id = ANY(ARRAY(SELECT s.customer_id FROM customer_search s WHERE {self.condition}))"
            return f"({alias}.phone = {self.phone} OR {ids})" if self.phone else ids
        # EXISTS, not a list of ids: a common word matches a large share of the table, and the plan
        # may walk the list's sort index and probe `customer_search` by primary key until the page is full
        return f"EXISTS (SELECT FROM customer_search s WHERE s.customer_id = {alias}.id AND ({self.condition}))"


async def search_rule(conn: asyncpg.Connection, q: str, params: Params, *, fuzzy: bool = False,
                      reach: tuple[str, Params] | None = None) -> SearchRule | None:
    """The search of `q` (see the module's docstring), or None when `q` has nothing to search for;
    `reach`: the caller's rows before the filters (store.selection.Listing), for the typo fallback."""
    q = q.strip()
    digits = re.sub(r"\D", "", q)
    if _PHONE_LIKE.match(q) and len(digits) >= PHONE_SUFFIX_MIN:
        return _phone_rule(q, digits, params)
    words = fold_words(q)[:10]
    if not words:
        return None
    folded = " ".join(words)
    if fuzzy and len(folded) >= 4 and any(ch.isalpha() for ch in folded):
        return await _typo_rule(conn, words, params, reach or ("TRUE", Params()))
    keys = _prefix_keys(words)
    matches, spacing = await _how_many(conn, keys) if keys else ("many", 1.0)  # one-letter words: most rows
    if matches == "many":
        return SearchRule(" AND ".join(_likes(words, params)), spacing=spacing, by_prefixes=bool(keys),
                          words=tuple(words))
    return SearchRule(_prefix_condition(words, params), ids_first=True,
                      spacing=spacing if matches == "some" else None, by_prefixes=True, words=tuple(words))


# A caller who reaches at most this many rows (a rep's own customers, a small team) gets the typo
# fallback tested on each of their rows (~15 µs a row), whatever the planner expects of the
# alternatives: their matches are estimated as if each word's were independent — `tran thi huong`
# with every word varied, 1,230 expected and 14,181 found at 1M — and a plan made for the estimate
# read them all newest first to find the rep's few (the bench rep's page 150-190 ms; row by row 52 ms).
ROW_BY_ROW_REACH = 10_000


async def _typo_rule(conn: asyncpg.Connection, words: list[str], params: Params, reach: tuple[str, Params]
                     ) -> SearchRule:
    """The fallback when the exact rule found nothing on the first page: each word, or one of the
    known prefixes that may stand for it (domain.typos), starts a word of the search text — an
    exact search of alternatives (customers 0028): few matches are read newest first from the
    prefix GIN, a narrow caller's rows are tested one by one (above)."""
    alternatives = typo_alternatives(words, await search_words.vocabulary(conn))
    if await kept_rows(conn, *reach) <= ROW_BY_ROW_REACH:
        return SearchRule(_any_prefix(alternatives, params, indexed=False))
    probe = Params()
    estimate = await estimated_rows(conn, f"SELECT FROM customer_search s WHERE {_any_prefix(alternatives, probe)}",
                                    *probe)
    few = estimate <= _ids_first_bound(await table_rows(conn, "customer_search"))
    return SearchRule(_any_prefix(alternatives, params), ids_first=few, by_prefixes=few)  # few: read newest first


def _any_prefix(alternatives: list[list[str]], params: Params, *, indexed: bool = True) -> str:
    """Each list of prefixes (a whole word: followed by a space): one of them starts a word of
    `s.search_doc` (their keys in the prefix GIN, and LIKE where a key alone does not decide: one
    letter, longer than a key, a whole word). Not `indexed`: the keys as an expression the GIN does
    not hold (`|| '{}'`), so that the plan tests the rows it starts from."""
    prefixes_column = "s.prefixes" if indexed else "(s.prefixes || '{}'::text[])"
    conditions = []
    for prefixes in alternatives:
        keys = list(dict.fromkeys(p.rstrip()[:PREFIX_MAX] for p in prefixes if len(p.rstrip()) >= 2))
        if keys:
            conditions.append(f"{prefixes_column} && {params.add(keys)}::text[]")
        if not keys or any(len(p.rstrip()) > PREFIX_MAX or len(p) < 2 or p.endswith(' ') for p in prefixes):
            conditions.append(f"s.search_doc LIKE ANY({params.add([_word_prefix([p]) for p in prefixes])}::text[])")
    return " AND ".join(conditions)


def _prefix_keys(words: list[str]) -> list[str]:
    return list(dict.fromkeys(w[:PREFIX_MAX] for w in words if len(w) >= 2))


def _prefix_condition(words: list[str], params: Params) -> str:
    """The words on the prefix GIN (exact keys), one-letter and long words by LIKE (the key narrows,
    LIKE decides)."""
    holds = f"s.prefixes @> {params.add(_prefix_keys(words))}::text[]"
    unkeyed = [w for w in dict.fromkeys(words) if len(w) > PREFIX_MAX or len(w) < 2]
    return " AND ".join([holds, *_likes(unkeyed, params)])


def walk_condition(words: tuple[str, ...], params: Params) -> str:
    """The (folded) words as LIKEs on `s.search_doc` alone (what the walk's index holds), the
    longest first: a row is dropped at its first failing LIKE, and long words are the rare ones (`thi`)."""
    return " AND ".join(_likes(sorted(dict.fromkeys(words), key=len, reverse=True), params))


def _phone_rule(q: str, digits: str, params: Params) -> SearchRule:
    """The normalised phone exactly, or a suffix of 4+ digits and a tax code's prefix: few rows,
    their ids first."""
    suffix = digits[1:] if digits.startswith("0") and len(digits) >= 9 else digits
    try:  # a whole number has 8+ digits (1900 1234); below, phonenumbers' slow path would only say no
        phone = params.add(normalize_phone(q)) if len(digits) >= WHOLE_PHONE_MIN else None
    except InvalidPhone:
        phone = None
    words = fold_words(q)
    matches = f"s.phone_rev LIKE {params.add(suffix[::-1] + '%')}"
    if _prefix_keys(words):
        # a tax code's start (one word) or digits written in groups (a phrase): their keys in the
        # prefix GIN, the phrase decided by LIKE (~4 buffers for a tax code at 1M); single digits
        # alone have no key (`1 2 3 4`: the phone suffix only)
        phrase = f" AND s.search_doc LIKE {params.add(_word_prefix(words))}" if len(words) > 1 else ""
        matches += f" OR ({_prefix_condition(words, params)}{phrase})"
    return SearchRule(matches, ids_first=True, phone=phone, many_phones=len(suffix) < FEW_PHONES_SUFFIX)


def _likes(words: list[str], params: Params) -> list[str]:
    return [f"s.search_doc LIKE {params.add(_word_prefix([w]))}" for w in words]


# Up to this many matches (the planner's estimate over the stored prefixes) a search takes the
# matches' ids from the prefix GIN of `customer_search` (exact keys: ~40 index buffers where the
# trigram GIN, dropped since (0030), decoded ~900) and fetches them by primary key (~5 buffers a match, M matches); beyond
# it the plan walks the list's sort index and probes each customer's search row (~4 buffers a row,
# ~51·N/M rows of N to fill a page if the matches were spread evenly over the sort order). They are
# not: at 10M the walk read ~5× the rows that predicts (123,671 customers for 21 `le minh`, the
# newest rows holding fewer of those names), so the limit is √(200·N) (~14,000 at 1M, ~45,000 at
# 10M) rather than the even spread's √(40·N): the ids-first cost grows with M and is known in
# advance, the walk's depends on where the matches lie. Measured (docs/benchmarks.md, "Search" → "6.
# The search columns aside"): at 1M "hoang duc" (2,523 matches) walked 1.4M buffers in 451 ms with
# the limit at 1,000, 12,539 buffers in 18–29 ms with the ids first; at 10M the five common pairs
# (24,000–36,000 matches) took 221–901 ms (admin) and 458–724 ms (manager) walking, 331–505 ms and
# 307–471 ms with the ids first. Never under FEW_MATCHES_MIN, the limit measured at 1.33M before
# the search columns left `customers`.
FEW_MATCHES_MIN = 1_000


async def _how_many(conn: asyncpg.Connection, keys: list[str]) -> tuple[str, float]:
    """"few", "some" or "many" rows hold every key (above), and rows of the table per match: few
    and some take the ids first, some and many may walk the newest rows first
    (store.paging.walk_fills). A stored column has its own element statistics, so the estimate is
    close (nguyen van an 173 for 166, le minh 2,935 for 3,517); an EXPLAIN costs no row read."""
    estimate = await estimated_rows(conn, "SELECT FROM customer_search WHERE prefixes @> $1::text[]", keys)
    if estimate <= FEW_MATCHES_MIN:
        return "few", math.inf
    rows = max(await table_rows(conn, "customer_search"), 0)
    return ("some" if estimate <= _ids_first_bound(rows) else "many"), max(rows, estimate) / estimate


def _ids_first_bound(rows: float) -> float:
    """The most matches a search takes with their ids first, in a table of `rows` (above)."""
    return max(FEW_MATCHES_MIN, math.sqrt(200 * max(rows, 0)))


def _scope_sql(scope: str, principal: Principal, params: Params, alias: str) -> str | None:
    me = principal.user_id
    if scope == "mine":
        return f"{alias}.owner_id = {params.add(me)}"
    if scope == "holding":
        return f"{alias}.holder_id = {params.add(me)}"
    if scope == "shared":
        return shared_with_sql(params.add(me), alias)
    if scope == "unassigned":
        return f"{alias}.owner_id IS NULL"
    if scope == "my_unit":
        path = subtree_path(principal.unit_path) if principal.kind == "user" else None
        if path is None:
            return "FALSE"
        return f"({alias}.owner_id IS NOT NULL AND {subtree_sql(path, params, f'{alias}.owner_unit_path')})"
    return None


def _any(column: str, values: list[Any], params: Params, cast: str) -> str:
    return f"{column} = ANY({params.add(values)}::{cast}[])"


def _keys_literal(keys: list[str]) -> str:
    """Configured keys (statuses, labels) written into the statement instead of passed as a
    parameter, so that each choice of keys has its own plan: a prepared statement run often gets
    PostgreSQL's generic plan, made for no key in particular — the walk of the newest rows that
    suits `contacted` (20% of the customers), used for a status 100 customers hold too: 310 ms
    instead of 0.3 ms through `customers_status` at 1M (docs/benchmarks.md, "Rare statuses and
    labels"). Keys are slugs (`KEY_PATTERN`); anything else is an unknown key, refused before the
    statement runs, and left out here."""
    return "'{" + ",".join(k for k in keys if KEY_PATTERN.fullmatch(k)) + "}'::text[]"


def _with_status(alias: str, statuses: str) -> str:
    """Customers in one of `statuses` (a `text[]` written in the statement): the column on the row,
    and the links (migration 0026) for the planner to start from a rare status's customers, as
    `_labelled` does for labels."""
    return (f"{alias}.status = ANY({statuses})"
            f" AND {alias}.id IN (SELECT customer_id FROM customer_status_links WHERE status = ANY({statuses}))")


def _labelled(alias: str, labels: str, test: str = "&&") -> str:
    """Customers holding any (`&&`) or all (`@>`) of `labels` (a `text[]` written in the statement).
    The links (migration 0021) let the planner start from a rare label's customers (0.3 ms for 30
    of 1M); the array on the row is the cheap test while it walks the list's sort index for a
    common one (one heap page a row instead of three link index pages: 104-174 against 203-275 ms
    for `hot` at 1M, whose newest 94,000 customers hold no label)."""
    return (f"{alias}.labels {test} {labels}"
            f" AND {alias}.id IN (SELECT customer_id FROM customer_label_links WHERE label = ANY({labels}))")


async def _known_keys(conn: asyncpg.Connection, values: list[str], known: list[str], field: str,
                      code: str, problems: _Problems, param: str) -> None:
    known_set = set(known)
    for index, value in enumerate(values):
        if value not in known_set:
            problems.add(f"{field}.{index}", code, **{param: value})


def _choices(field: str, values: list[str], problems: _Problems, normalize: Callable[[str], T]) -> list[T]:
    out: list[T] = []
    for index, raw in enumerate(values):
        try:
            out.append(normalize(raw))
        except RuleViolation as error:
            problems.add(f"{field}.{index}", error.code, **error.params)
    return out


async def _unit_path(conn: asyncpg.Connection, unit_id: uuid.UUID) -> str | None:
    """The path of a unit from what this service knows of it: the unit directory, its users, else
    the customers owned in it (units created before the unit directory, which have no user; no
    index: a full read for a unit nobody knows, so it comes last)."""
    unit = await directory.get_unit(conn, unit_id)
    if unit is not None and unit["path"]:
        return unit["path"]
    marker = f"/{unit_id}/"
    path = await conn.fetchval("SELECT unit_path FROM directory_users WHERE unit_path LIKE $1 LIMIT 1",
                               f"%{marker}%")
    if path:
        return path[: path.index(marker) + len(marker)]
    return await conn.fetchval(
        "SELECT owner_unit_path FROM customers WHERE owner_unit_id = $1 AND owner_unit_path IS NOT NULL LIMIT 1",
        unit_id)


async def _attribute_sql(conn: asyncpg.Connection, wanted: dict[str, list[Scalar] | None], params: Params,
                         problems: _Problems, alias: str) -> list[str]:
    definitions = {row["key"]: define_attribute(**dict(row)) for row in await config_store.attribute_definitions(conn)}
    clauses: list[str] = []
    for key, values in wanted.items():
        definition = definitions.get(key)
        if definition is None or not definition.filterable:
            problems.add(f"attr.{key}", "unknown_field" if definition is None else "not_filterable", key=key)
            continue
        if not values:
            continue
        documents = []
        for index, raw in enumerate(values):
            value = [raw] if definition.type == AttributeType.MULTI_SELECT else raw
            try:
                cleaned = validate_values([definition], {key: value}, partial=True).get(key)
            except InvalidAttributes as error:
                for _, code, error_params in error.errors:
                    problems.add(f"attr.{key}.{index}", code, **error_params)
                continue
            if cleaned is not None:
                documents.append({key: cleaned})
        if documents:
            held = " OR ".join(f"{alias}.attributes @> {params.add(d)}::jsonb" for d in documents)
            clauses.append(f"({held}) AND {alias}.attributes <> '{{}}'")  # the partial index's predicate
    return clauses


async def customer_where(conn: asyncpg.Connection, flt: CustomerFilter, principal: Principal, *,
                         params: Params | None = None, alias: str = "c",
                         include_deleted: bool = False) -> tuple[str, Params]:
    """(filter, principal) → SQL condition + arguments; see the module's docstring."""
    listing = await _where(conn, flt, principal, params=params, alias=alias, include_deleted=include_deleted)
    return listing.where, listing.params


@dataclass(frozen=True)
class Walk:
    """A search of many matches as store.paging.walked_page reads it: the other conditions over
    `c` (and their arguments alone), the search as LIKEs over `customer_search` rows `s`, the
    arguments of both, and the rows of the table per match (estimated)."""
    where: str
    where_params: Params
    search: str
    params: Params
    spacing: float


@dataclass(frozen=True)
class Listing:
    """What a page reads (`listing_where`): the whole condition over `c` and its arguments; for a
    search of many matches the walk that may fill the page first, and for a search with keys in
    the prefix GIN its matches, which a page sorted by creation may take newest first
    (store.paging.matches_fit)."""
    where: str
    params: Params
    walk: Walk | None = None
    matches: Matches | None = None
    # the caller's reach before the filters (visibility and scope) and its arguments: how many rows
    # a page may have to sort at most (store.paging.page), where the filters' estimates can be far off
    reach: str = "TRUE"
    reach_params: Params = dataclass_field(default_factory=Params)


async def listing_where(conn: asyncpg.Connection, flt: CustomerFilter, principal: Principal) -> Listing:
    """`customer_where` for a page, with the walk of a search of many matches beside it."""
    return await _where(conn, flt, principal, params=None, alias="c", include_deleted=False)


async def _where(conn: asyncpg.Connection, flt: CustomerFilter, principal: Principal, *, params: Params | None,
                 alias: str, include_deleted: bool) -> Listing:
    params = params if params is not None else Params()
    problems = _Problems()
    clauses = [visible_sql(access_of(principal), params, alias=alias, include_deleted=include_deleted)]
    scope = _scope_sql(flt.scope, principal, params, alias)
    if scope:
        clauses.append(scope)
    reach, reach_params = " AND ".join(clauses), Params(params)
    a = alias

    if flt.status:
        await _known_keys(conn, flt.status, await config_store.status_keys(conn), "status", "unknown_status",
                          problems, "status")
        clauses.append(_with_status(a, _keys_literal(flt.status)))
    for field in ("lifecycle", "party_type", "gender"):
        if values := getattr(flt, field):
            chosen = _choices(field, values, problems, functools.partial(normalize_choice, field))
            clauses.append(_any(f"{a}.{field}", chosen, params, "text"))
    if flt.organization_size:
        chosen = _choices("organization_size", flt.organization_size, problems, normalize_organization_size)
        clauses.append(_any(f"{a}.organization_size", chosen, params, "text"))
    if flt.province:
        codes = _choices("province", flt.province, problems, lambda raw: normalize_province(
            int(raw) if raw.isascii() and raw.isdigit() else raw).code)
        clauses.append(_any(f"{a}.province_code", codes, params, "int"))
    for field in ("source", "customer_type", "industry"):  # free text: case- and accent-insensitive equality
        if values := getattr(flt, field):
            clauses.append(f"public.crm_fold({a}.{field}) = ANY(ARRAY(SELECT public.crm_fold(v) FROM"
                           f" unnest({params.add(values)}::text[]) v))")
    labels = (flt.labels or []) + (flt.labels_all or [])
    if labels:
        known = await config_store.label_keys(conn)
        if flt.labels:
            await _known_keys(conn, flt.labels, known, "labels", "unknown_label", problems, "label")
            clauses.append(_labelled(a, _keys_literal(flt.labels)))
        if flt.labels_all:
            await _known_keys(conn, flt.labels_all, known, "labels_all", "unknown_label", problems, "label")
            clauses.append(_labelled(a, _keys_literal(flt.labels_all), "@>"))
    if flt.groups:
        clauses.append(f"{a}.groups && {params.add(flt.groups)}::uuid[] AND {a}.groups <> '{{}}'")
    for field in ("owner_id", "holder_id", "referred_by"):
        if values := getattr(flt, field):
            clauses.append(_any(f"{a}.{field}", values, params, "uuid"))
    if flt.owner_unit_id:
        path = await _unit_path(conn, flt.owner_unit_id)
        clauses.append(subtree_sql(path, params, f"{a}.owner_unit_path") if path and subtree_path(path) else "FALSE")
    for column, start, end in (("created_at", flt.created_from, flt.created_to),
                               ("updated_at", flt.updated_from, flt.updated_to)):
        if start is not None:
            clauses.append(f"{a}.{column} >= {params.add(range_start(start))}")
        if end is not None:
            moment, inclusive = range_end(end)
            clauses.append(f"{a}.{column} {'<=' if inclusive else '<'} {params.add(moment)}")
    if flt.birthday_from is not None:
        clauses.append(f"{a}.birthday >= {params.add(flt.birthday_from)}")
    if flt.birthday_to is not None:
        clauses.append(f"{a}.birthday <= {params.add(flt.birthday_to)}")
    if flt.birth_month is not None:
        clauses.append(f"extract(month FROM {a}.birthday) = {params.add(flt.birth_month)}")
    for flag, column in ((flt.has_email, "email"), (flt.has_tax_code, "tax_code"), (flt.has_owner, "owner_id"),
                         (flt.has_holder, "holder_id")):
        if flag is not None:
            clauses.append(f"{a}.{column} IS {'NOT ' if flag else ''}NULL")
    if flt.attributes:
        clauses += await _attribute_sql(conn, flt.attributes, params, problems, alias)
    if problems:
        raise Invalid(*problems)
    # the search last: the walk takes the other conditions' arguments without the search's
    others, before_search = " AND ".join(clauses), Params(params)
    rule = (await search_rule(conn, flt.q, params, fuzzy=flt.fuzzy is True, reach=(reach, reach_params))
            if flt.q else None)
    if rule is None:
        return Listing(others, params, reach=reach, reach_params=reach_params)
    walk = None
    if rule.spacing is not None:
        walk_params = Params(before_search)
        walk = Walk(others, before_search, walk_condition(rule.words, walk_params), walk_params, rule.spacing)
    matches = None
    if rule.ids_first and (rule.by_prefixes or rule.many_phones):
        matches = Matches(others, before_search, rule.condition, params)
    elif rule.by_prefixes:
        matches_params = Params(before_search)
        matches = Matches(others, before_search, _prefix_condition(list(rule.words), matches_params),
                          matches_params, rule.spacing)
    return Listing(f"{others} AND {rule.sql(alias)}", params, walk, matches, reach, reach_params)

