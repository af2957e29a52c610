"""The rules of an import chunk's rows (`domain/import_rows.py`), without a database: the same
value rules as POST /customers, the import's stable codes, every failing field of a row listed,
duplicates inside a chunk, and the create / update / not_editable decision."""
from __future__ import annotations

import uuid
from datetime import date

import pytest

from crm_customers.domain.attributes import define_attribute
from crm_customers.domain.import_rows import (
    Existing,
    Failure,
    Spellings,
    check_row,
    check_rows,
    decide,
    every_row_fails,
    import_code,
)
from crm_customers.domain.record import Configuration

CONFIG = Configuration(
    status_keys=frozenset({"new", "contacted"}), default_status="new",
    label_keys=frozenset({"hot", "warm", "vip"}), label_categories={"hot": "temperature", "warm": "temperature"},
    attributes=(
        define_attribute(key="tier", name="Hạng", type="select",
                         options=[{"value": "gold", "label": "Vàng"}, {"value": "silver", "label": "Bạc"}]),
        define_attribute(key="tags", name="Thẻ", type="multi-select",
                         options=[{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]),
        define_attribute(key="budget", name="Ngân sách", type="number"),
        define_attribute(key="since", name="Từ ngày", type="date"),
        define_attribute(key="vip", name="VIP", type="boolean"),
    ),
)
SPELLINGS = Spellings(statuses={"new": "new", "moi": "new", "da lien he": "contacted"},
                      labels={"nong": "hot", "am": "warm", "hot": "hot", "warm": "warm", "vip": "vip"})
FIELDS = ["name", "phone", "email", "birthday", "province", "gender", "tax_code", "status", "labels",
          "attributes.tier", "attributes.tags", "attributes.budget", "attributes.since", "attributes.vip"]


def cells(**values: str | None) -> list[str | None]:
    return [values.get(name.replace("attributes.", "a_")) for name in FIELDS]


def test_a_valid_row_is_normalised_by_the_rules_of_post_customers():
    row = check_row(2, FIELDS, cells(
        name="  Nguyễn  Văn An ", phone="0912.345.678", email="An@Example.COM", birthday="05/03/1990",
        province="Hà Giang", gender="Nam", tax_code="0100109106", status="Đã liên hệ", labels="Nóng, vip",
        a_tier="Vàng", a_tags="A; b", a_budget="1500000", a_since="2024-01-31", a_vip="có"),
        config=CONFIG, spellings=SPELLINGS)
    assert row.failures == []
    assert row.values == {
        "name": "Nguyễn Văn An", "phone": "+84912345678", "email": "An@example.com",
        "birthday": date(1990, 3, 5), "province": {"code": 8, "name": "Tuyên Quang"}, "gender": "male",
        "tax_code": "0100109106", "status": "contacted", "labels": ["hot", "vip"],
        "attributes": {"tier": "gold", "tags": ["a", "b"], "budget": 1500000, "since": "2024-01-31", "vip": True},
    }


def test_empty_cells_are_left_out():
    row = check_row(3, FIELDS, cells(phone="0912345678", email="  ", a_tier=None), config=CONFIG)
    assert row.failures == [] and row.values == {"phone": "+84912345678"}


@pytest.mark.parametrize("field,value,code", [
    ("phone", "12345", "invalid_phone"),
    ("email", "an@", "invalid_email"),
    ("tax_code", "0100109107", "invalid_tax_code"),  # checksum
    ("tax_code", "abc", "invalid_tax_code"),
    ("province", "Atlantis", "invalid_province"),
    ("birthday", "31/02/1990", "invalid_date"),
    ("birthday", "01/01/2999", "invalid_date"),  # in the future
    ("birthday", "1899-12-31", "invalid_date"),  # too early
    ("gender", "robot", "invalid_value"),
    ("status", "vanished", "invalid_value"),
    ("labels", "hot, nope", "invalid_value"),
    ("attributes.tier", "platinum", "invalid_value"),
    ("attributes.tags", "a, z", "invalid_value"),
    ("attributes.budget", "much", "invalid_value"),
    ("attributes.since", "yesterday", "invalid_date"),
    ("attributes.vip", "maybe", "invalid_value"),
    ("name", "x" * 201, "too_long"),
])
def test_each_invalid_value_fails_with_its_stable_code(field, value, code):
    values = {"phone": "0912345678", field.replace("attributes.", "a_"): value}
    row = check_row(5, FIELDS, cells(**values), config=CONFIG, spellings=SPELLINGS)
    assert row.failures == [(field, code)]


def test_every_failing_field_of_a_row_is_listed_once():
    row = check_row(7, FIELDS, cells(phone="0912345678", email="x@", birthday="99/99/1999", a_tags="z, y"),
                    config=CONFIG)
    assert sorted(row.failures) == [("attributes.tags", "invalid_value"), ("birthday", "invalid_date"),
                                    ("email", "invalid_email")]


def test_a_row_without_phone_fails_required_and_unknown_attributes_are_named():
    fields = ["name", "phone", "attributes.nope"]
    row = check_row(9, fields, ["An", None, "x"], config=CONFIG)
    assert sorted(row.failures) == [("attributes.nope", "unknown_attribute"), ("phone", "required")]
    assert row.phone is None
    assert check_row(9, fields, ["An", "0912345678", None], config=CONFIG).failures == []  # unknown but empty


def test_a_phone_repeated_inside_the_chunk_in_another_writing_fails_the_later_row():
    checked = check_rows(["name", "phone"], [(2, ["An", "0912345678"]), (3, ["Bình", "+84 912 345 678"]),
                                             (4, ["Chi", "0912345679"])], config=CONFIG)
    assert [r.failures for r in checked] == [[], [("phone", "duplicate_in_file")], []]


def test_one_label_a_category_as_for_post_customers():
    row = check_row(2, ["phone", "labels"], ["0912345678", "hot, warm"], config=CONFIG)
    assert row.values["labels"] == ["warm"]


def test_decide_creates_updates_and_refuses_what_the_importer_may_not_edit():
    mine, theirs, deleted = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    checked = check_rows(["name", "phone", "email"], [
        (2, ["An", "0912000001", None]),          # new
        (3, [None, "0912000002", "b@x.vn"]),      # mine: an update needs no name
        (4, ["Chi", "0912000003", None]),         # someone else's
        (5, ["Dũng", "0912000004", None]),        # held by a deleted customer
        (6, [None, "0912000005", None]),          # new without a name
        (7, ["Em", "0912000006", "bad@"]),        # someone else's, and a bad e-mail: both said
    ], config=CONFIG)
    existing = {"+84912000002": Existing(mine, True), "+84912000003": Existing(theirs, False),
                "+84912000004": Existing(deleted, False), "+84912000006": Existing(uuid.uuid4(), False)}
    plan = decide(checked, existing, config=CONFIG)
    assert plan.creates == [(2, {"party_type": "individual", "lifecycle": "lead", "status": "new",
                                 "name": "An", "phone": "+84912000001"})]
    assert plan.updates == [(3, mine, {"phone": "+84912000002", "email": "b@x.vn"})]
    assert plan.failures == [Failure(4, "phone", "not_editable"), Failure(5, "phone", "not_editable"),
                             Failure(6, "name", "required"), Failure(7, "email", "invalid_email"),
                             Failure(7, "phone", "not_editable")]


def test_a_new_customer_needs_the_required_attributes():
    config = Configuration(status_keys=frozenset({"new"}), default_status="new", attributes=(
        define_attribute(key="cccd", name="CCCD", type="text", required=True),))
    checked = check_rows(["name", "phone"], [(2, ["An", "0912000001"])], config=config)
    assert decide(checked, {}, config=config).failures == [Failure(2, "attributes.cccd", "required")]
    existing = {"+84912000001": Existing(uuid.uuid4(), True)}
    assert decide(checked, existing, config=config).updates  # an update needs nothing more


def test_codes_and_whole_chunk_refusals():
    assert import_code("tax_code_checksum") == "invalid_tax_code"
    assert import_code("date_in_future") == "invalid_date"
    assert import_code("invalid_choice") == "invalid_value"
    assert import_code("invalid_url") == "invalid_value"
    assert every_row_fails([2, 3], "owner_id", "owner_not_in_reach").failures == [
        Failure(2, "owner_id", "owner_not_in_reach"), Failure(3, "owner_id", "owner_not_in_reach")]


def test_one_line_cleaning_agrees_with_the_regular_expression_it_replaced():
    """`fields._one_line` (split/join, for speed) = control characters to spaces, then `\\s+` to
    one space, trimmed, as clean_text did before, over random text full of odd whitespace."""
    import random
    import re

    from crm_customers.domain.fields import _one_line

    control, spaces = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]"), re.compile(r"\s+")
    alphabet = "aăâđêôơưAĐ ́\t\n\r\x0b\x0c\x1c\x1f\x00\x07\x7f\x85\xa0\u1680\u2000\u2028\u2029\u202f\u205f\u3000\u200b\ufeff"
    rng = random.Random(7)
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        expected = "\n".join(line.strip() for line in spaces.sub(" ", control.sub(" ", text)).strip().split("\n"))
        assert _one_line(text) == expected, repr(text)


def test_an_answer_lists_every_failure_that_fits_and_at_least_each_rows_first():
    from crm_customers.domain.import_rows import answer_failures

    few = [Failure(2, "email", "invalid_email"), Failure(2, "phone", "invalid_phone")]
    assert answer_failures(few) == (few, 0)
    many = [Failure(row, f"attributes.{'k' * 60}{n}", "invalid_value") for row in range(2, 5_002) for n in range(8)]
    listed, omitted = answer_failures(many)
    assert {f.row for f in listed} == set(range(2, 5_002)) and omitted == len(many) - len(listed) > 0
    assert [f.row for f in listed] == sorted(f.row for f in listed)  # row order kept
    json_bytes = sum(len(f'{{"row": {f.row}, "field": "{f.field}", "code": "{f.code}"}}, ') for f in listed)
    assert json_bytes < 900_000
    from crm_customers.events import CustomersImportChunkApplied, ImportFailure

    answer = CustomersImportChunkApplied(job_id=uuid.uuid4(), chunk_no=0, dry_run=False, created=0, updated=0,
                                         failures_omitted=omitted, failures=[
                                             ImportFailure(row=f.row, field=f.field, code=f.code) for f in listed])
    assert len(answer.model_dump_json()) < 1_000_000
