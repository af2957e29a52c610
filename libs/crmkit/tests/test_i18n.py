"""Language negotiation and the message catalogue (no I/O)."""
from __future__ import annotations

import pytest

from crmkit import i18n


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "vi"),
        ("", "vi"),
        ("en", "en"),
        ("EN", "en"),
        ("en-US", "en"),
        ("vi", "vi"),
        ("vi-VN", "vi"),
        ("fr", "vi"),                                # unsupported: the default
        ("*", "vi"),
        ("fr, en;q=0.5", "en"),                      # the only supported one
        ("en;q=0.8, vi;q=0.9", "vi"),                # q-values, not order
        ("vi;q=0.5, en;q=0.9", "en"),
        ("en-US,en;q=0.9,vi;q=0.8", "en"),
        ("vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7", "vi"),
        ("en, vi", "en"),                            # equal q: the first one
        ("vi, en", "vi"),
        ("en;q=0", "vi"),                            # q=0 means "not acceptable"
        ("vi;q=0, en;q=0.1", "en"),
        ("en;q=0, vi;q=0", "vi"),
        ("en; q=0.7, vi ; q=0.6", "en"),             # whitespace around parameters
        ("en;q=abc, vi;q=0.1", "vi"),                # malformed q: ignored
        ("en;level=1;q=0.2, vi;q=0.1", "en"),        # other parameters before q
        ("en;q=1.0", "en"),
    ],
)
def test_language(header, expected):
    assert i18n.language(header) == expected


def test_problem_text_in_both_languages_and_default():
    assert i18n.problem_text("not_found", "vi")[0] == "Không tìm thấy"
    assert i18n.problem_text("not_found", "en")[0] == "Not found"
    # an unknown language falls back to Vietnamese
    assert i18n.problem_text("not_found", "de")[0] == "Không tìm thấy"
    # parameters are filled in, missing ones stay visible rather than crashing
    assert "1024" in i18n.problem_text("payload_too_large", "en", {"limit": 1024})[1]
    assert "{limit}" in i18n.problem_text("payload_too_large", "en", {})[1]
    # an unknown code gets a generic text, never an exception
    title, _ = i18n.problem_text("no_such_code", "en")
    assert title


def test_every_catalogue_entry_has_both_languages():
    for code, texts in i18n._PROBLEMS.items():
        assert set(texts) >= set(i18n.SUPPORTED), code
    for code, texts in i18n._FIELD_ERRORS.items():
        assert set(texts) >= set(i18n.SUPPORTED), code


def test_register_adds_service_codes():
    i18n.register(problems={"crmkit_test_code": {"vi": ("Tiêu đề", "Chi tiết {x}"), "en": ("Title", "Detail {x}")}},
                  field_errors={"crmkit_test_field": {"vi": "Lỗi {n}", "en": "Error {n}"}})
    assert i18n.known_problem("crmkit_test_code")
    assert i18n.problem_text("crmkit_test_code", "en", {"x": 7}) == ("Title", "Detail 7")
    assert i18n.known_field_error("crmkit_test_field")
    assert i18n.field_message("crmkit_test_field", "vi", {"n": 3}) == "Lỗi 3"
    assert i18n.field_message("no_such_field_code", "en") == "Invalid value."
