"""Pure rules of a whole record write, ownership and If-Match parsing (no I/O)."""
from __future__ import annotations

import uuid

import pytest

from crmkit.auth import Principal
from crmkit.domain_errors import VersionConflict, VersionRequired

from crm_customers.api.customers import expected_version
from crm_customers.domain.ownership import Candidate, OwnerNotInReach, check_owner, owns_by_default
from crm_customers.domain.record import Configuration, changed_fields, check_record, merge_attributes

GROUP = uuid.uuid4()
CONFIG = Configuration(status_keys=frozenset({"new", "potential"}), default_status="new",
                       label_keys=frozenset({"hot", "cold"}), group_ids=frozenset({GROUP}))


def who(path: str, *roles: str) -> Principal:
    return Principal(user_id=uuid.uuid4(), username="u", unit_id=uuid.uuid4(), unit_path=path, roles=frozenset(roles))


def test_a_creation_gets_the_default_status_and_empty_attributes():
    record, problems = check_record({"name": "An", "phone": "0912345678"}, partial=False, config=CONFIG)
    assert problems == [] and record == {"name": "An", "phone": "+84912345678", "status": "new", "attributes": {}}


def test_labels_and_groups_drop_duplicates_and_name_each_unknown_item():
    record, problems = check_record({"labels": ["hot", "hot", "cold"], "groups": [str(GROUP), GROUP]},
                                    partial=True, config=CONFIG)
    assert record == {"labels": ["hot", "cold"], "groups": [GROUP]} and problems == []
    _, problems = check_record({"labels": ["warm", 3], "groups": ["x"]}, partial=True, config=CONFIG)
    assert [(p, c) for p, c, _ in problems] == [("labels.0", "unknown_label"), ("labels.1", "invalid_type"),
                                                 ("groups.0", "invalid_type")]


def test_an_update_keeps_only_what_was_sent_and_may_clear_fields():
    record, problems = check_record({"email": None, "province": "79"}, partial=True, config=CONFIG)
    assert problems == [] and record == {"email": None, "province": {"code": 79, "name": "Thành phố Hồ Chí Minh"}}


def test_attribute_changes_merge_and_none_clears():
    assert merge_attributes({"a": 1, "b": 2}, {"b": None, "c": 3}) == {"a": 1, "c": 3}
    assert changed_fields({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": None}) == ["b"]


def test_owner_reach():
    manager, rep, admin = who("/r/b/", "manager"), who("/r/b/t/", "sales"), who("", "admin")
    in_team = Candidate(uuid.uuid4(), uuid.uuid4(), "/r/b/t/", True)
    elsewhere = Candidate(uuid.uuid4(), uuid.uuid4(), "/r/c/", True)
    assert check_owner(manager, in_team) is in_team and check_owner(admin, elsewhere) is elsewhere
    for principal, candidate in ((manager, elsewhere), (rep, in_team), (admin, None),
                                 (admin, Candidate(uuid.uuid4(), None, "/r/", False))):
        with pytest.raises(OwnerNotInReach):
            check_owner(principal, candidate)
    assert owns_by_default(rep) and not owns_by_default(manager) and not owns_by_default(admin)


def test_if_match_versions():
    assert expected_version('"3"') == 3 and expected_version('W/"12"') == 12 and expected_version("*") is None
    with pytest.raises(VersionRequired) as missing:
        expected_version(None)
    assert missing.value.code == "precondition_required"
    with pytest.raises(VersionConflict):
        expected_version('"abc"')


TEMPERATURES = Configuration(status_keys=frozenset({"new"}), default_status="new",
                             label_keys=frozenset({"hot", "warm", "cold", "premium"}),
                             label_categories={"hot": "temperature", "warm": "temperature", "cold": "temperature"})


def test_labels_of_one_category_exclude_each_other_the_newly_set_one_wins():
    def labels(sent, held=()):
        record, problems = check_record({"labels": sent}, partial=True, config=TEMPERATURES, held_labels=held)
        assert problems == []
        return record["labels"]

    assert labels(["warm", "premium", "hot"]) == ["premium", "hot"]  # nothing held: the last listed
    assert labels(["warm", "hot"], held=["warm"]) == ["hot"]  # clicking "hot" on a "warm" customer
    assert labels(["hot", "warm"], held=["warm"]) == ["hot"]  # whatever the order the client keeps
    assert labels(["warm", "premium"], held=["warm"]) == ["warm", "premium"]
    assert labels(["hot", "cold"], held=["warm"]) == ["cold"]
