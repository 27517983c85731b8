"""Event data made from the shared event schemas, and a directory held in memory."""
from __future__ import annotations

import uuid
from types import SimpleNamespace

import pytest
from marshmallow import fields, validate

from pacesetter_shared.events import latest_version, load_data
from pacesetter_shared.events.registry import _schema


# values for the patterns the schemas use (ISO week, month)
PATTERN_SAMPLES = {r"^\d{4}-W\d{2}$": "2030-W26", r"^\d{4}-\d{2}$": "2030-06"}


def _sample_value(field: fields.Field):
    """A valid wire value for one schema field: the first choice, the low end of a range."""
    pattern = next((v for v in field.validators if isinstance(v, validate.Regexp)), None)
    if pattern is not None:
        return PATTERN_SAMPLES[pattern.regex.pattern]
    one_of = next((v for v in field.validators if isinstance(v, validate.OneOf)), None)
    if one_of is not None:
        return list(one_of.choices)[0]
    in_range = next((v for v in field.validators if isinstance(v, validate.Range)), None)
    # marshmallow's UUID is a String and its Date a DateTime: test the narrower class first
    if isinstance(field, fields.UUID):
        return str(uuid.uuid4())
    if isinstance(field, fields.Date):
        return "2030-06-30"
    if isinstance(field, fields.DateTime):
        return "2030-06-30T08:00:00+00:00"
    if isinstance(field, fields.Boolean):
        return True
    if isinstance(field, (fields.Integer, fields.Float)):
        low = in_range.min if in_range is not None and in_range.min is not None else 3
        return low if isinstance(field, fields.Integer) else float(low) + 0.5
    if isinstance(field, fields.String):
        return "Sample text"  # ASCII, so English texts stay free of Chinese
    if isinstance(field, fields.List):
        return [_sample_value(field.inner)]
    if isinstance(field, fields.Nested):
        return {name: _sample_value(f) for name, f in field.schema.fields.items()}
    if isinstance(field, fields.Dict):
        return {}
    raise TypeError(f"no sample for {type(field).__name__}")


@pytest.fixture
def sample_data():
    """Factory: loaded data of an event type with a value for every field its latest schema declares."""

    def make(event_type: str, **overrides) -> dict:
        version = latest_version(event_type)
        raw = {name: _sample_value(f) for name, f in _schema(event_type, version).fields.items()}
        raw.update({k: str(v) if isinstance(v, uuid.UUID) else v for k, v in overrides.items()})
        return load_data(event_type, version, raw)

    return make


class FakeDirectory:
    """The directory projection in memory, answering as ``DirectoryView`` does."""

    def __init__(self):
        self.units: dict[uuid.UUID, SimpleNamespace] = {}
        self.persons: dict[uuid.UUID, SimpleNamespace] = {}
        self.roles: set[tuple[uuid.UUID, str, uuid.UUID]] = set()
        self.windows: dict[uuid.UUID, SimpleNamespace] = {}

    def add_window(self, name: str, unit_id: uuid.UUID) -> uuid.UUID:
        window_id = uuid.uuid4()
        self.windows[window_id] = SimpleNamespace(id=window_id, name=name, unit_id=unit_id)
        return window_id

    def add_unit(self, name: str, kind: str, parent_id: uuid.UUID | None = None) -> uuid.UUID:
        unit_id = uuid.uuid4()
        self.units[unit_id] = SimpleNamespace(id=unit_id, name=name, kind=kind, parent_id=parent_id)
        return unit_id

    def add_person(self, name: str, *, language: str = "zh", active: bool = True, email: str | None = None,
                   roles: tuple[tuple[str, uuid.UUID], ...] = ()) -> uuid.UUID:
        person_id = uuid.uuid4()
        self.persons[person_id] = SimpleNamespace(id=person_id, name=name, language=language, active=active,
                                                  email=email)
        self.roles |= {(person_id, role, unit_id) for role, unit_id in roles}
        return person_id

    def unit(self, unit_id):
        return self.units.get(unit_id)

    def person(self, person_id):
        return self.persons.get(person_id)

    def window(self, window_id):
        return self.windows.get(window_id)

    def general_branch_of(self, unit_id):
        while unit_id in self.units:
            if self.units[unit_id].kind == "general_branch":
                return self.units[unit_id]
            unit_id = self.units[unit_id].parent_id
        return None

    def holders(self, role: str, unit_ids) -> list:
        ids = set(unit_ids)
        found = {p for p, r, u in self.roles if r == role and u in ids and self.persons[p].active}
        return sorted((self.persons[p] for p in found), key=lambda p: p.name)


@pytest.fixture
def org():
    """党委 → 党总支 → two branches, plus a branch straight under the committee, and their people."""
    d = FakeDirectory()
    committee = d.add_unit("党委", "committee")
    general_branch = d.add_unit("教育学院党总支", "general_branch", committee)
    branch = d.add_unit("教工第一党支部", "branch", general_branch)
    other_branch = d.add_unit("学生第一党支部", "branch", general_branch)
    direct_branch = d.add_unit("机关直属党支部", "branch", committee)
    return SimpleNamespace(
        directory=d, committee=committee, general_branch=general_branch, branch=branch,
        other_branch=other_branch, direct_branch=direct_branch,
        reviewer=d.add_person("李总支", roles=(("general_branch_secretary", general_branch),)),
        secretary=d.add_person("Zhang Wei", language="en", roles=(("branch_secretary", branch),)),
        other_secretary=d.add_person("王支书", roles=(("branch_secretary", other_branch),)),
        member=d.add_person("陈党员"),
        english_member=d.add_person("Chen Ming", language="en"),
        former_member=d.add_person("赵离校", active=False),
    )
