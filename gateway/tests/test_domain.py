"""Pure rules (no I/O): tree levels and paths, lock-out, token buckets, names, permissions."""
from __future__ import annotations

import uuid

import pytest

from crmkit.domain_errors import Conflict, Invalid
from crmkit.errors import ProblemError

from crm_gateway.domain import client_address, units, users
from crm_gateway.domain.lockout import BackoffPolicy, failure_outcome
from crm_gateway.handlers.api_keys import check_permissions, service_account_username
from crm_gateway.ratelimit import RateLimiter


def test_levels_go_down_the_tree():
    units.check_placement(kind="company", parent_kind=None)
    units.check_placement(kind="team", parent_kind="branch")  # a level may be skipped
    for kind, parent in [("branch", "team"), ("company", "branch"), ("team", None), ("team", "team")]:
        with pytest.raises(Invalid) as error:
            units.check_placement(kind=kind, parent_kind=parent)
        assert error.value.code == "unit_kind_invalid"
    with pytest.raises(Invalid, match="unit_kind_invalid"):
        units.check_children_fit(kind="team", child_kinds=["team"])


def test_paths_and_cycles():
    root, child = uuid.uuid4(), uuid.uuid4()
    root_path = units.path_of(None, root)
    child_path = units.path_of(root_path, child)
    assert root_path == f"/{root}/" and child_path == f"/{root}/{child}/"
    assert (units.depth_of(root_path), units.depth_of(child_path)) == (0, 1)
    with pytest.raises(Conflict) as error:
        units.check_no_cycle(unit_path=root_path, new_parent_path=child_path)
    assert error.value.code == "unit_cycle"
    units.check_no_cycle(unit_path=child_path, new_parent_path=root_path)


def test_login_backoff_doubles_up_to_its_cap():
    policy = BackoffPolicy(free_failures=5, base_seconds=30, max_seconds=900)
    assert [policy.wait_after(n) for n in range(1, 11)] == [0, 0, 0, 0, 30, 60, 120, 240, 480, 900]
    assert policy.wait_after(10_000) == 900


def test_every_failed_login_is_the_same_failure_to_the_client():
    outcome = failure_outcome
    assert outcome(user_exists=True, has_password=True, password_matches=True, active=True) is None
    assert outcome(user_exists=False, has_password=False, password_matches=False, active=False) == "unknown_user"
    assert outcome(user_exists=True, has_password=False, password_matches=False, active=True) == "no_password"
    assert outcome(user_exists=True, has_password=True, password_matches=False, active=False) == "wrong_password"
    assert outcome(user_exists=True, has_password=True, password_matches=True, active=False) == "inactive"


def test_token_bucket():
    clock = [0.0]
    limiter = RateLimiter(clock=lambda: clock[0])
    assert [limiter.retry_after("k", per_minute=60, burst=2) for _ in range(2)] == [0, 0]
    assert limiter.retry_after("k", per_minute=60, burst=2) == pytest.approx(1.0)
    clock[0] += 1.0
    assert limiter.retry_after("k", per_minute=60, burst=2) == 0
    with pytest.raises(ProblemError) as error:
        limiter.enforce("k", per_minute=60, burst=2)
    assert error.value.status == 429 and error.value.headers["Retry-After"] == "1"


def test_token_buckets_are_bounded():
    limiter = RateLimiter(max_buckets=3)
    for n in range(10):
        limiter.retry_after(f"k{n}", per_minute=60, burst=1)
    assert len(limiter._buckets) == 3


def test_client_address_is_the_right_most_untrusted_hop():
    trusted = client_address.parse_networks("10.0.0.0/8, 2001:db8:ffff::/48,127.0.0.1")
    resolve = client_address.resolve
    assert resolve("198.51.100.7", ["203.0.113.1"], trusted) == "198.51.100.7"  # untrusted peer: header ignored
    assert resolve("10.1.2.3", ["203.0.113.1"], trusted) == "203.0.113.1"
    # the left-most entries are the client's own: never taken while an untrusted hop is to their right
    assert resolve("10.1.2.3", ["1.1.1.1", "203.0.113.1", "10.9.9.9"], trusted) == "203.0.113.1"
    assert resolve("10.1.2.3", ["10.4.4.4", "10.5.5.5"], trusted) == "10.4.4.4"  # all trusted: the first
    assert resolve("10.1.2.3", ["203.0.113.1", "unknown"], trusted) == "10.1.2.3"  # not an address: stop there
    assert resolve("10.1.2.3", [], trusted) == "10.1.2.3"
    assert resolve("10.1.2.3", ["203.0.113.1:5555"], trusted) == "203.0.113.1"
    assert resolve("2001:db8:ffff::1", ["[2001:db8:1::2]:443"], trusted) == "2001:db8:1::2"
    assert resolve("::ffff:10.0.0.1", ["::ffff:203.0.113.1"], trusted) == "203.0.113.1"
    assert resolve("10.1.2.3", ["203.0.113.1"], []) == "10.1.2.3"  # nobody trusted by default


def test_forwarded_header_chains():
    assert client_address.x_forwarded_for_chain(["1.1.1.1, 2.2.2.2", "3.3.3.3"]) == ["1.1.1.1", "2.2.2.2", "3.3.3.3"]
    forwarded = ['for=192.0.2.60;proto=http;by=203.0.113.43, For="[2001:db8:cafe::17]:4711"', "for=unknown",
                 "proto=https"]
    assert client_address.forwarded_chain(forwarded) == ["192.0.2.60", "[2001:db8:cafe::17]:4711", "unknown"]


def test_ipv6_clients_are_counted_per_slash_64():
    key = client_address.bucket_key
    assert key("2001:db8:1:2:aaaa::1") == key("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert key("2001:db8:1:3::1") != key("2001:db8:1:2::1")
    assert key("203.0.113.5") == "203.0.113.5" and key("::ffff:203.0.113.5") == "203.0.113.5"


def test_user_rules():
    assert users.normalise_roles(["sales", "admin", "sales"]) == ["admin", "sales"]
    with pytest.raises(Invalid) as error:
        users.normalise_roles(["king"])
    assert [(e.field, e.code) for e in error.value.errors] == [("roles", "invalid_role")]
    with pytest.raises(Invalid) as error:
        users.check_password("Alice.Nguyen", username="alice.nguyen")
    assert [(e.field, e.code) for e in error.value.errors] == [("password", "weak_password")]
    assert users.normalise_email(" Lan@Example.VN ") == "Lan@example.vn"
    assert users.normalise_phone("0912 345.678") == "0912345678"
    with pytest.raises(Invalid) as error:
        users.normalise_phone("call me")
    assert error.value.code == "validation_error" and error.value.errors[0].code == "invalid_phone"


def test_service_account_names_and_permissions():
    assert service_account_username("Tổng đài") == "svc.tong-dai"
    assert service_account_username("Đối tác #1 (Zalo)") == "svc.doi-tac-1-zalo"
    assert check_permissions(["customers.write", "customers.read", "customers.read"]) == [
        "customers.read", "customers.write"]
    with pytest.raises(Invalid) as error:
        check_permissions(["Customers Read"])
    assert [(e.field, e.code) for e in error.value.errors] == [("permissions.0", "unknown_permission")]
