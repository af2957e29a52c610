import pytest

from crm_customers.domain.attributes import (
    AttributeDefinition,
    AttributeOption,
    AttributeType,
    InvalidAttributeDefinition,
    InvalidAttributes,
    define_attribute,
    validate_values,
)

TIERS = [{"value": "gold", "label": "Vàng"}, {"value": "silver", "label": "Bạc"}]
CHANNELS = [{"value": "zalo", "label": "Zalo"}, {"value": "sms", "label": "SMS"}, {"value": "email", "label": "Email"}]


def definitions(**overrides):
    specs = {
        "hobby": dict(type="text"),
        "income": dict(type="number"),
        "contract_end": dict(type="date"),
        "vip": dict(type="boolean"),
        "tier": dict(type="select", options=TIERS),
        "channels": dict(type="multi-select", options=CHANNELS),
        "second_phone": dict(type="phone"),
        "work_email": dict(type="email"),
        "website": dict(type="url"),
    }
    for key, extra in overrides.items():
        specs[key] = {**specs[key], **extra}
    return [define_attribute(key=key, name=key.title(), **spec) for key, spec in specs.items()]


def one(key, raw, **overrides):
    return validate_values(definitions(**overrides), {key: raw}, partial=True)[key]


def errors_of(values, *, partial=True, defs=None):
    with pytest.raises(InvalidAttributes) as caught:
        validate_values(defs or definitions(), values, partial=partial)
    assert caught.value.code == "invalid_attributes"
    return caught.value.errors


# Definitions


def test_define_a_select_attribute():
    definition = define_attribute(key="tier", name="  Hạng  ", type="select", options=TIERS, required=True,
                                  display_order=3, filterable=True)
    assert definition == AttributeDefinition(
        "tier", "Hạng", AttributeType.SELECT,
        (AttributeOption("gold", "Vàng"), AttributeOption("silver", "Bạc")), True, 3, True,
    )
    assert definition.option_values == ("gold", "silver")


def test_options_may_be_given_as_option_objects():
    definition = define_attribute(key="tier", name="Hạng", type="multi-select", options=[AttributeOption("a", "A")])
    assert definition.options == (AttributeOption("a", "A"),)


@pytest.mark.parametrize("type_", [t.value for t in AttributeType])
def test_every_type_is_accepted(type_):
    options = TIERS if type_ in ("select", "multi-select") else []
    assert define_attribute(key="k", name="K", type=type_, options=options).type == type_


@pytest.mark.parametrize("key", ["a", "tier", "so_the_thanh_vien", "x1", "a" * 63])
def test_valid_keys(key):
    assert define_attribute(key=key, name="N", type="text").key == key


@pytest.mark.parametrize("key", ["", "1abc", "_a", "Tier", "tier-2", "hạng", "a b", "a" * 64, 5])
def test_invalid_keys(key):
    with pytest.raises(InvalidAttributeDefinition) as caught:
        define_attribute(key=key, name="N", type="text")
    assert caught.value.errors == [("key", "invalid_attribute_key", {})]


def test_a_missing_key_name_or_type_is_required():
    with pytest.raises(InvalidAttributeDefinition) as caught:
        define_attribute()
    assert [(path, code) for path, code, _ in caught.value.errors] == [
        ("key", "required"), ("name", "required"), ("type", "required")]


def test_choice_types_need_options_and_others_refuse_them():
    with pytest.raises(InvalidAttributeDefinition) as caught:
        define_attribute(key="k", name="N", type="select")
    assert caught.value.errors == [("options", "options_required", {})]
    with pytest.raises(InvalidAttributeDefinition) as caught:
        define_attribute(key="k", name="N", type="text", options=TIERS)
    assert caught.value.errors == [("options", "options_not_allowed", {})]


def test_option_problems_are_each_reported():
    options = [{"value": "a", "label": "A"}, {"value": "a", "label": "A again"}, {"value": " ", "label": "B"},
               {"value": "c"}, "d", {"value": "e" * 101, "label": "E"}]
    with pytest.raises(InvalidAttributeDefinition) as caught:
        define_attribute(key="k", name="N", type="multi-select", options=options)
    assert caught.value.errors == [
        ("options.1.value", "duplicate_value", {"value": "a"}),
        ("options.2.value", "required", {}),
        ("options.3.label", "required", {}),
        ("options.4", "invalid_type", {}),
        ("options.5.value", "too_long", {"max_length": 100}),
    ]


def test_every_definition_problem_is_reported_at_once():
    with pytest.raises(InvalidAttributeDefinition) as caught:
        define_attribute(key="Bad Key", name="", type="color", options="abc", required="yes",
                         display_order="1", filterable=None)
    assert [path for path, _, _ in caught.value.errors] == [
        "key", "name", "type", "options", "required", "display_order", "filterable"]
    assert caught.value.errors[2] == ("type", "invalid_choice", {
        "choices": "text, number, date, boolean, select, multi-select, phone, email, url"})


def test_name_length():
    with pytest.raises(InvalidAttributeDefinition) as caught:
        define_attribute(key="k", name="n" * 201, type="text")
    assert caught.value.errors == [("name", "too_long", {"max_length": 200})]


# Values by type


@pytest.mark.parametrize("raw,expected", [("  sở thích  ", "sở thích"), ("Nguye\u0302\u0303n", "Nguyễn"),
                                          ("dòng 1\ndòng 2", "dòng 1\ndòng 2"), ("x" * 2000, "x" * 2000)])
def test_text(raw, expected):
    assert one("hobby", raw) == expected


def test_text_errors():
    assert errors_of({"hobby": "x" * 2001}) == [("attributes.hobby", "too_long", {"max_length": 2000})]
    assert errors_of({"hobby": 12}) == [("attributes.hobby", "invalid_type", {})]


@pytest.mark.parametrize("raw,expected", [(12, 12), (-3, -3), (12.5, 12.5), ("12", 12), (" 42 ", 42),
                                          ("-7", -7), ("+7", 7), ("12.50", 12.5), (".5", 0.5), ("0", 0),
                                          (2**53 - 1, 2**53 - 1)])
def test_number(raw, expected):
    value = one("income", raw)
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize("raw", ["abc", "1,5", "1 000", "1e3", "0x10", "--1", "١٢", True, [1], {"a": 1}])
def test_invalid_numbers(raw):
    assert errors_of({"income": raw}) == [("attributes.income", "invalid_number", {})]


@pytest.mark.parametrize("raw", [float("nan"), float("inf"), 2**53, "9" * 30])
def test_numbers_out_of_range(raw):
    assert errors_of({"income": raw}) == [("attributes.income", "out_of_range", {})]


@pytest.mark.parametrize("raw", ["2030-12-31", "31/12/2030", "31-12-2030"])
def test_date_becomes_iso_and_may_be_in_the_future(raw):
    assert one("contract_end", raw) == "2030-12-31"


def test_date_errors():
    assert errors_of({"contract_end": "31/02/2030"}) == [("attributes.contract_end", "invalid_date", {})]
    assert errors_of({"contract_end": "1899-01-01"}) == [
        ("attributes.contract_end", "date_too_early", {"min": "1900-01-01"})]


@pytest.mark.parametrize("raw,expected", [
    (True, True), (False, False), ("true", True), ("FALSE", False), ("yes", True), ("No", False),
    ("có", True), ("Có", True), ("co", True), ("không", False), ("Không", False), ("khong", False),
    (1, True), (0, False), ("1", True), ("0", False),
])
def test_boolean(raw, expected):
    assert one("vip", raw) is expected


@pytest.mark.parametrize("raw", ["maybe", 2, -1, 1.0, "đúng", ["true"]])
def test_invalid_booleans(raw):
    assert errors_of({"vip": raw}) == [("attributes.vip", "invalid_boolean", {})]


def test_select():
    assert one("tier", "gold") == "gold"
    assert one("tier", " silver ") == "silver"
    assert errors_of({"tier": "Vàng"}) == [("attributes.tier", "invalid_choice", {"choices": "gold, silver"})]
    assert errors_of({"tier": "GOLD"}) == [("attributes.tier", "invalid_choice", {"choices": "gold, silver"})]
    assert errors_of({"tier": ["gold"]}) == [("attributes.tier", "invalid_choice", {"choices": "gold, silver"})]


def test_multi_select():
    assert one("channels", ["zalo", "email"]) == ["zalo", "email"]
    assert one("channels", ("sms",)) == ["sms"]


def test_multi_select_reports_each_bad_item():
    assert errors_of({"channels": ["zalo", "fax", "zalo", 3]}) == [
        ("attributes.channels.1", "invalid_choice", {"choices": "zalo, sms, email"}),
        ("attributes.channels.2", "duplicate_value", {"value": "zalo"}),
        ("attributes.channels.3", "invalid_choice", {"choices": "zalo, sms, email"}),
    ]


@pytest.mark.parametrize("raw", ["zalo", "zalo,sms", {"zalo": True}])
def test_multi_select_needs_a_list(raw):
    assert errors_of({"channels": raw}) == [("attributes.channels", "invalid_type", {})]


def test_phone_and_email():
    assert one("second_phone", "0168 912 3456") == "+84389123456"
    assert one("work_email", " An@Cong-Ty.VN ") == "An@cong-ty.vn"
    assert errors_of({"second_phone": "123", "work_email": "an@"}) == [
        ("attributes.second_phone", "invalid_phone", {}),
        ("attributes.work_email", "invalid_email", {}),
    ]


@pytest.mark.parametrize("raw,expected", [
    ("https://congty.vn", "https://congty.vn"),
    (" HTTP://WWW.Example.COM/Path?Q=A#Top ", "http://www.example.com/Path?Q=A#Top"),
    ("https://công-ty.vn/giới-thiệu", "https://công-ty.vn/giới-thiệu"),
    ("http://example.com:8080/x", "http://example.com:8080/x"),
])
def test_url(raw, expected):
    assert one("website", raw) == expected


@pytest.mark.parametrize("raw", ["congty.vn", "ftp://example.com", "javascript:alert(1)", "mailto:a@b.vn",
                                 "http://", "https:///path", "http://exa mple.com", "http://user:pw@example.com",
                                 "http://example.com:99999", "http://example.com:0", "http://[::1", "//example.com"])
def test_invalid_urls(raw):
    assert errors_of({"website": raw}) == [("attributes.website", "invalid_url", {})]


def test_url_length_and_type():
    assert errors_of({"website": "https://a.vn/" + "x" * 2000}) == [
        ("attributes.website", "too_long", {"max_length": 2000})]
    assert errors_of({"website": 5}) == [("attributes.website", "invalid_type", {})]


# Whole writes


def test_a_full_write_is_normalised():
    values = validate_values(definitions(), {
        "hobby": " golf ", "income": "1500000", "contract_end": "01/02/2030", "vip": "có", "tier": "gold",
        "channels": ["sms"], "second_phone": "+84 912 345 678", "work_email": "a@B.vn", "website": "https://b.vn",
    }, partial=False)
    assert values == {
        "hobby": "golf", "income": 1500000, "contract_end": "2030-02-01", "vip": True, "tier": "gold",
        "channels": ["sms"], "second_phone": "+84912345678", "work_email": "a@b.vn", "website": "https://b.vn",
    }


def test_every_problem_is_collected_in_one_exception():
    defs = definitions(tier={"required": True}, vip={"required": True})
    errors = errors_of({"income": "many", "nickname": "An", "channels": ["fax"], "vip": ""}, partial=False, defs=defs)
    assert sorted(errors) == sorted([
        ("attributes.tier", "required", {}),
        ("attributes.income", "invalid_number", {}),
        ("attributes.nickname", "unknown_attribute", {"key": "nickname"}),
        ("attributes.channels.0", "invalid_choice", {"choices": "zalo, sms, email"}),
        ("attributes.vip", "required", {}),
    ])


def test_missing_required_attribute_is_only_an_error_when_not_partial():
    defs = definitions(tier={"required": True})
    assert validate_values(defs, {"hobby": "golf"}, partial=True) == {"hobby": "golf"}
    assert errors_of({"hobby": "golf"}, partial=False, defs=defs) == [("attributes.tier", "required", {})]


@pytest.mark.parametrize("blank", [None, "", "   ", []])
def test_blank_values_clear_on_update_and_are_dropped_on_create(blank):
    key = "channels" if blank == [] else "hobby"
    assert validate_values(definitions(), {key: blank}, partial=True) == {key: None}
    assert validate_values(definitions(), {key: blank}, partial=False) == {}


def test_a_required_attribute_cannot_be_cleared():
    defs = definitions(hobby={"required": True})
    assert errors_of({"hobby": None}, defs=defs) == [("attributes.hobby", "required", {})]


def test_no_definitions_and_no_values():
    assert validate_values([], {}, partial=False) == {}


def test_unknown_attribute_without_definitions():
    with pytest.raises(InvalidAttributes) as caught:
        validate_values([], {"x": 1}, partial=False)
    assert caught.value.errors == [("attributes.x", "unknown_attribute", {"key": "x"})]


@pytest.mark.parametrize("values", [None, [], "hobby=golf", [("hobby", "golf")]])
def test_values_must_be_a_mapping(values):
    with pytest.raises(InvalidAttributes) as caught:
        validate_values(definitions(), values, partial=True)
    assert caught.value.errors == [("attributes", "invalid_type", {})]


def test_definitions_loaded_with_plain_string_types_work():
    definition = AttributeDefinition("vip", "VIP", "boolean")
    assert validate_values([definition], {"vip": "không"}, partial=True) == {"vip": False}
