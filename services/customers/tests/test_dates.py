from datetime import UTC, date, datetime, timedelta

import pytest

from crm_customers.domain.dates import (
    DateInFuture,
    DateTooEarly,
    InvalidDate,
    parse_birthday,
    parse_date,
    today_in_vietnam,
)

TODAY = date(2025, 7, 15)


@pytest.mark.parametrize("raw", ["1990-04-05", "05/04/1990", "5/4/1990", "05-04-1990", "5-4-1990",
                                 "05.04.1990", "1990/04/05", "1990-4-5", "  05/04/1990 "])
def test_iso_and_day_first_writings(raw):
    assert parse_date(raw) == date(1990, 4, 5)


def test_day_first_is_not_month_first():
    assert parse_date("01/12/2000") == date(2000, 12, 1)


@pytest.mark.parametrize("value,expected", [(date(2001, 2, 3), date(2001, 2, 3)),
                                            (datetime(2001, 2, 3, 23, 59), date(2001, 2, 3))])
def test_date_objects_pass_through(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("raw", ["31/02/2000", "29/02/2001", "2000-13-01", "00/01/2000", "32/01/2000",
                                 "2000-02-30", "12/31/1990", "0/0/2000"])
def test_impossible_dates_are_refused(raw):
    with pytest.raises(InvalidDate) as caught:
        parse_date(raw)
    assert caught.value.code == "invalid_date"


def test_leap_day_is_accepted():
    assert parse_date("29/02/2000") == date(2000, 2, 29)
    assert parse_date("2024-02-29") == date(2024, 2, 29)


@pytest.mark.parametrize("raw", ["", "  ", "05/04/90", "1990", "05/04-1990", "1990-04/05", "05/04/1990 10:00",
                                 "1990-04-05T00:00:00", "5 tháng 4 1990", "٠٥/٠٤/١٩٩٠", "abc", "05//04/1990",
                                 "0" * 40])
def test_unparseable_text_is_refused(raw):
    with pytest.raises(InvalidDate):
        parse_date(raw)


@pytest.mark.parametrize("raw", [None, 19900405, 1.5, ["1990-04-05"]])
def test_non_dates_are_refused(raw):
    with pytest.raises(InvalidDate):
        parse_date(raw)


def test_dates_before_1900_are_refused():
    assert parse_date("01/01/1900") == date(1900, 1, 1)
    with pytest.raises(DateTooEarly) as caught:
        parse_date("31/12/1899")
    assert caught.value.code == "date_too_early"
    assert caught.value.params == {"min": "1900-01-01"}
    assert isinstance(caught.value, InvalidDate)


def test_future_dates_are_allowed_unless_past_only():
    assert parse_date("2100-01-01") == date(2100, 1, 1)
    with pytest.raises(DateInFuture):
        parse_date("2025-07-16", past_only=True, today=TODAY)


def test_birthday_may_be_today_but_not_tomorrow():
    assert parse_birthday("15/07/2025", today=TODAY) == TODAY
    with pytest.raises(DateInFuture) as caught:
        parse_birthday("16/07/2025", today=TODAY)
    assert caught.value.code == "date_in_future"
    assert isinstance(caught.value, InvalidDate)


def test_birthday_before_1900_is_refused():
    with pytest.raises(DateTooEarly):
        parse_birthday("1899-12-31", today=TODAY)


def test_birthday_defaults_to_today_in_vietnam():
    tomorrow = today_in_vietnam() + timedelta(days=1)
    assert parse_birthday(today_in_vietnam()) == today_in_vietnam()
    with pytest.raises(DateInFuture):
        parse_birthday(tomorrow)


def test_today_in_vietnam_is_utc_plus_seven():
    expected = {(datetime.now(UTC) + timedelta(hours=7)).date() + timedelta(days=d) for d in (-1, 0)}
    assert today_in_vietnam() in expected
