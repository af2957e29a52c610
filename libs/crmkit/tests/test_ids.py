import uuid

import pytest

from crmkit.ids import new_id, new_ids


def test_new_ids_are_increasing_version_7_uuids():
    first, second = new_ids(5000), new_ids(3)
    parsed = [uuid.UUID(i) for i in first + second]
    assert all(u.version == 7 and u.variant == uuid.RFC_4122 for u in parsed)
    assert len(set(parsed)) == len(parsed)
    assert first == sorted(first) and uuid.UUID(first[-1]) < uuid.UUID(second[0]) or second[0][:12] == first[0][:12]
    assert new_id().version == 7 and new_ids(0) == []
    with pytest.raises(ValueError):
        new_ids((1 << 20) + 1)
