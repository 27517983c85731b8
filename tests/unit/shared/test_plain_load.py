"""PlainLoad answers exactly as the schema's own load: the same result, the same error, for any item."""
from __future__ import annotations

import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from marshmallow import Schema, ValidationError, pre_load

from evaluation_service.schemas.ratings import WindowRatingIn
from pacesetter_shared.web import fields
from pacesetter_shared.web.plain_load import PlainLoad

SCHEMA = WindowRatingIn()
WINDOW = str(uuid.uuid4())

# each field's values: good ones, and ones of the wrong type, out of range, badly formed
_VALUES = {
    "client_id": st.one_of(st.text(max_size=70), st.sampled_from(["c-1", "c-1\n", "", "x" * 64, "x" * 65]),
                           st.integers(), st.none()),
    "window_id": st.one_of(st.just(WINDOW), st.uuids().map(str), st.just(WINDOW.replace("-", "")),
                           st.sampled_from(["not-a-uuid", ""]), st.integers(), st.none()),
    "level": st.one_of(st.integers(-1, 7), st.just(True), st.just(5.0), st.just("5"), st.none(), st.just(2**70)),
    "reasons": st.one_of(st.lists(st.sampled_from(["态度好", "", "x" * 51, "效率高"]), max_size=12),
                         st.none(), st.just("态度好"), st.lists(st.integers(), max_size=2)),
    "tag_set_version": st.one_of(st.integers(-1, 3), st.just(2**31), st.none(), st.just("1")),
    "on_duty_id": st.one_of(st.uuids().map(str), st.none(), st.just("x")),
    "rated_at": st.one_of(st.sampled_from(["2026-12-06T02:30:00.123Z", "2026-12-06T10:30:00+08:00",
                                           "2026-12-06T02:30:00", "2026-13-01T00:00:00Z", "yesterday"]),
                          st.none(), st.integers()),
    "link_token": st.one_of(st.sampled_from(["abc_DEF-1", "", "a b", "x" * 65]), st.none()),
    "unknown": st.integers(),
}
ITEMS = st.one_of(
    st.dictionaries(st.sampled_from(sorted(_VALUES)), st.integers(), max_size=3).flatmap(
        lambda keys: st.fixed_dictionaries({k: _VALUES[k] for k in keys})),
    st.fixed_dictionaries({"client_id": st.text(min_size=1, max_size=8), "level": st.integers(1, 5)},
                          optional={k: v for k, v in _VALUES.items() if k not in ("client_id", "level", "unknown")}),
    st.one_of(st.none(), st.integers(), st.lists(st.integers(), max_size=2), st.text(max_size=3)),
)


def _outcome(load, item):
    try:
        return "loaded", load(item)
    except ValidationError as exc:
        return "refused", exc.messages


@settings(max_examples=400, deadline=None)
@given(st.lists(ITEMS, max_size=8))
def test_a_batch_loads_every_item_as_the_schema_does(items):
    load = PlainLoad(SCHEMA).batch()
    assert [_outcome(load, item) for item in items] == [_outcome(SCHEMA.load, item) for item in items]


def test_items_that_send_the_same_value_share_nothing_anyone_could_change():
    load = PlainLoad(SCHEMA).batch()
    first, second = (load({"client_id": f"c-{n}", "window_id": WINDOW, "level": 4, "reasons": ["态度好"]})
                     for n in range(2))
    assert first["window_id"] is second["window_id"]  # loaded once, taken again
    first["reasons"].append("效率高")
    assert second["reasons"] == ["态度好"]


def test_a_schema_whose_load_is_more_than_its_fields_is_refused():
    class Hooked(Schema):
        name = fields.String()

        @pre_load
        def _trim(self, data, **_kwargs):
            return data

    class Renamed(Schema):
        name = fields.String(data_key="名称")

    for schema in (Hooked(), Renamed(), WindowRatingIn(unknown="exclude")):
        with pytest.raises(TypeError):
            PlainLoad(schema)
