"""Every server message has its Chinese: the catalogue against every schema and every marked message.

- every marshmallow schema of every service and of shared: each field's error messages and each validator's,
  nested fields too, is in the catalogue, and a formatted message comes back in Chinese with its values;
- every message marked ``_("…")`` in the code is in the catalogue with the same placeholders, and the call
  gives exactly those values; no entry of the catalogue is left unused;
- no user-facing ``raise`` still carries unmarked text (a literal or an f-string), nor do its details.
"""
from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import string
from pathlib import Path

import marshmallow
import pytest
import webargs.fields
from marshmallow import Schema, fields, validate

from pacesetter_shared.i18n import EN, MESSAGES, TERMS, ZH_CN, _, placeholders, term, term_list, translate
from pacesetter_shared.web.language import negotiate

ROOT = Path(__file__).resolve().parents[3]
PACKAGES = {"gateway": "gateway/src/gateway", "pledge_service": "pledge-service/src/pledge_service",
            "evaluation_service": "evaluation-service/src/evaluation_service",
            "grading_service": "grading-service/src/grading_service",
            "notification_service": "notification-service/src/notification_service",
            "pacesetter_shared": "shared/src/pacesetter_shared"}
SAMPLE = "7"  # what a placeholder is filled with when a formatted message is checked


# -- every schema ----------------------------------------------------------------------------------------------

def _modules():
    for package in PACKAGES:
        root = importlib.import_module(package)
        yield root
        for info in pkgutil.walk_packages(root.__path__, package + "."):
            if ".migrations" in info.name or info.name.endswith("__main__"):
                continue
            yield importlib.import_module(info.name)


def all_schemas() -> list[type[Schema]]:
    found = {}
    for module in _modules():
        for value in vars(module).values():
            if inspect.isclass(value) and issubclass(value, Schema) and value.__module__.split(".")[0] in PACKAGES:
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return [found[name] for name in sorted(found)]


def _validator_messages(validator) -> list[str]:
    """The templates a validator can answer with, as marshmallow will format them."""
    if isinstance(validator, validate.Length):
        if validator.error:
            return [validator.error]
        if validator.equal is not None:
            return [validator.message_equal]
        if validator.min is not None and validator.max is not None:
            return [validator.message_all]
        return [validator.message_min if validator.min is not None else validator.message_max]
    if isinstance(validator, validate.Range):
        if validator.error:
            return [validator.error]
        if validator.min is not None and validator.max is not None:
            return [validator.message_all]
        return [validator.message_min if validator.min is not None else validator.message_max]
    if isinstance(validator, validate.And):
        return [m for v in validator.validators for m in _validator_messages(v)]
    error = getattr(validator, "error", None)
    return [error] if isinstance(error, str) else []  # a plain function raises marked messages of its own


def _field_messages(field: fields.Field, where: str, seen: set) -> list[tuple[str, str, fields.Field]]:
    found = [(message, f"{where} ({key})", field) for key, message in field.error_messages.items()]
    for validator in field.validators:
        found += [(message, f"{where} ({type(validator).__name__})", field) for message in _validator_messages(validator)]
    inner = []
    if isinstance(field, fields.Nested):
        inner.append(("", field.schema))
    for attribute in ("inner", "key_field", "value_field"):
        if isinstance(getattr(field, attribute, None), fields.Field):
            inner.append((f"[{attribute}]", getattr(field, attribute)))
    for index, element in enumerate(getattr(field, "tuple_fields", None) or ()):
        inner.append((f"[{index}]", element))
    for suffix, part in inner:
        if isinstance(part, Schema):
            found += _schema_messages(part, where + ".", seen)
        else:
            found += _field_messages(part, where + suffix, seen)
    return found


def _schema_messages(schema: Schema, where: str, seen: set) -> list[tuple[str, str, fields.Field | None]]:
    if id(type(schema)) in seen:  # a schema nested in itself
        return []
    seen = seen | {id(type(schema))}
    found = [(message, f"{where}{type(schema).__name__} ({key})", None)
             for key, message in {**Schema._default_error_messages, **schema.error_messages}.items()]
    for name, field in schema.fields.items():
        found += _field_messages(field, f"{where}{type(schema).__name__}.{name}", seen)
    return found


def schema_messages() -> list[tuple[str, str, fields.Field | None]]:
    found = []
    for cls in all_schemas():
        found += _schema_messages(cls(), f"{cls.__module__}.", set())
    return found


def _sample_values(template: str, field) -> dict:
    values = {name: SAMPLE for name in placeholders(template)}
    if "obj_type" in values:
        values["obj_type"] = getattr(field, "OBJ_TYPE", "datetime")
    if "awareness" in values:
        values["awareness"] = getattr(field, "AWARENESS", None) or "aware"
    return values


def _format(template: str, values: dict) -> str:
    return string.Formatter().vformat(template, (), values)


def test_the_walk_sees_every_service_and_shared():
    modules = {cls.__module__.split(".")[0] for cls in all_schemas()}
    assert modules == set(PACKAGES), modules
    assert len(schema_messages()) > 1000


def test_every_message_of_every_schema_has_its_chinese():
    missing = sorted({f"{message!r}  ← {where}" for message, where, _field in schema_messages()
                      if message not in MESSAGES})
    assert not missing, "untranslated schema messages (add them to pacesetter_shared/i18n/zh_cn.py):\n" + \
        "\n".join(missing)


def test_every_schema_message_comes_back_in_chinese_with_its_values():
    wrong = []
    for message, where, field in schema_messages():
        values = _sample_values(message, field)
        english = _format(message, values)
        words = {k: TERMS["marshmallow"].get(v, v) if k in ("obj_type", "awareness") else v for k, v in values.items()}
        expected = _format(MESSAGES.get(message, message), words)
        chinese = translate(english, ZH_CN)
        if chinese != expected or chinese == english:
            wrong.append(f"{english!r} → {chinese!r} (expected {expected!r})  ← {where}")
    assert not wrong, "\n".join(sorted(set(wrong)))


# marshmallow's and webargs' own messages, translated whether or not a schema uses them today
def library_messages() -> set[str]:
    found = set()
    for module in (fields, webargs.fields):
        for value in vars(module).values():
            if inspect.isclass(value) and issubclass(value, fields.Field):
                for cls in value.__mro__:
                    found |= set(getattr(cls, "default_error_messages", {}).values())
    found |= set(Schema._default_error_messages.values())
    for value in vars(validate).values():
        if inspect.isclass(value) and issubclass(value, validate.Validator) and isinstance(
                getattr(value, "default_message", None), str):
            found.add(value.default_message)
    found |= {validate.Length.message_all, validate.Length.message_equal, validate.Length.message_min,
              validate.Length.message_max}
    for low, high in ((True, True), (True, False), (False, True), (False, False)):
        found |= {validate.Range(0, 1, min_inclusive=low, max_inclusive=high).message_all,
                  validate.Range(0, min_inclusive=low).message_min, validate.Range(max=1, max_inclusive=high).message_max}
    found.add("Invalid JSON body.")  # webargs, for a body that is no JSON
    return found


def test_marshmallow_and_webargs_messages_are_all_translated():
    missing = sorted(m for m in library_messages() if m not in MESSAGES)
    assert not missing, f"marshmallow {marshmallow.__version__} says more: {missing}"
    assert set(TERMS["marshmallow"]) >= {"datetime", "date", "time", "aware", "naive"}


# -- every marked message --------------------------------------------------------------------------------------

def _sources():
    for package, folder in PACKAGES.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def marked_messages() -> dict[str, list[tuple[str, set[str] | None]]]:
    """msgid → [(where, the names of the values the call gives)]; problems of form are raised at once."""
    found = {}
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_":
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                assert len(node.args) == 1 and isinstance(node.args[0], ast.Constant) and isinstance(
                    node.args[0].value, str), f"{where}: _() takes one literal string (values by name)"
                names = None if any(k.arg is None for k in node.keywords) else {k.arg for k in node.keywords}
                found.setdefault(node.args[0].value, []).append((where, names))
    return found


def test_every_marked_message_has_its_chinese_with_the_same_placeholders():
    problems = []
    for msgid, uses in marked_messages().items():
        if msgid not in MESSAGES:
            problems.append(f"untranslated: {msgid!r} ({uses[0][0]})")
            continue
        for where, names in uses:
            if names is not None and names != placeholders(msgid):
                problems.append(f"{where}: {msgid!r} takes {sorted(placeholders(msgid))}, given {sorted(names)}")
    assert not problems, "\n".join(problems)


def test_every_translation_keeps_the_placeholders_and_is_chinese():
    for english, chinese in MESSAGES.items():
        assert placeholders(english) == placeholders(chinese), english
        assert re.search(r"[\u4e00-\u9fff]", chinese), f"{english!r} → {chinese!r} is no Chinese"
        assert re.search(r"[A-Za-z]", re.sub(r"\{[^}]*\}", "", english)), f"{english!r} is no English text"


def test_no_translation_is_left_unused():
    used = set(marked_messages()) | {m for m, _where, _field in schema_messages()} | library_messages()
    unused = sorted(set(MESSAGES) - used)
    assert not unused, f"no code says these any more; remove them from the catalogue: {unused}"


def test_no_code_a_response_carries_is_also_a_message():
    # details carry codes beside messages ({"state": ["closed"]}); a code spelled like a message would be translated
    codes = {code for group in TERMS.values() for code in group}
    assert not codes & set(MESSAGES)


# -- no unmarked text in a user-facing raise ---------------------------------------------------------------------

# exceptions whose text is for operators and logs, never an answer to a caller
NOT_FOR_CALLERS = {"ConfigurationError", "RuntimeError", "TypeError", "ValueError", "KeyError", "LookupError",
                   "UnknownEvent", "InvalidEvent", "Rejected", "PublishNotConfirmed", "InvalidIdentity",
                   "DisconnectionError", "SendFailed", "WebhookRejected", "MissingField", "NotImplementedError",
                   "AssertionError", "SystemExit"}


def _unmarked(node) -> list[ast.AST]:
    """Text literals in a raise's message or details that are not marked with _()."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_":
        return []
    if isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        return [node]
    children = []
    if isinstance(node, ast.Dict):
        children = node.values  # keys are field names
    elif isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        children = node.elts
    elif isinstance(node, ast.BoolOp):
        children = node.values
    elif isinstance(node, ast.IfExp):
        children = [node.body, node.orelse]
    elif isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
        children = [node.elt]
    elif isinstance(node, ast.DictComp):
        children = [node.value]
    return [found for child in children for found in _unmarked(child)]


def test_every_error_a_caller_reads_is_marked_for_translation():
    unmarked = []
    for path in _sources():
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            text = []
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                func = node.exc.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                if name in NOT_FOR_CALLERS or name == "make_error":  # a field's: a key into its error_messages,
                    continue  # whose every message the walk over the schemas checks
                args = list(node.exc.args)
                if name == "ValidationError":  # marshmallow's: (message, field_name)
                    args = args[:1]
                text = [found for arg in args + [k.value for k in node.exc.keywords if k.arg in ("message", "details")]
                        for found in _unmarked(arg)]
            elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name)
                                                      and t.value.id == "errors" for t in node.targets):
                text = _unmarked(node.value)  # errors["field"] = ["what is wrong"]
            unmarked += [f"{path.relative_to(ROOT)}:{n.lineno}: {ast.get_source_segment(source, n)}" for n in text]
    assert not unmarked, "mark these with _() (values by name) and translate them:\n" + "\n".join(unmarked)


# -- the language of an answer ---------------------------------------------------------------------------------

@pytest.mark.parametrize("header, language", [
    (None, ZH_CN), ("", ZH_CN), ("zh", ZH_CN), ("zh-CN", ZH_CN), ("zh-Hans", ZH_CN), ("zh-Hans-CN", ZH_CN),
    ("zh-TW", ZH_CN), ("en", EN), ("en-US", EN), ("EN-gb", EN), ("fr", ZH_CN), ("fr, en;q=0.5", EN), ("*", ZH_CN),
    ("en-GB,en;q=0.9,zh-CN;q=0.8", EN), ("zh-CN,zh;q=0.9,en;q=0.8", ZH_CN), ("en;q=0", ZH_CN),
])
def test_the_language_comes_from_accept_language_and_is_chinese_by_default(header, language):
    assert negotiate(header) == language


def test_a_message_keeps_its_english_its_values_and_its_terms():
    message = _("A {kind} belongs under a {parent}.", kind=term("unit_kind", "branch"),
                parent=term("unit_kind", "general_branch"))
    assert message == "A branch belongs under a general_branch."  # the English, as a plain str compares
    assert translate(message, ZH_CN) == "党支部应隶属于党总支。"
    assert translate(message, EN) == "A branch belongs under a general_branch."
    listed = _("from {state}: {choices}", state=term("note_state", "open"),
               choices=term_list("note_state", ["answered", "closed"]))
    assert translate(listed, ZH_CN) == "待处理之后可改为：已答复、已关闭"
    assert translate(listed, EN) == "from open: answered, closed"
    assert translate("Length must be between 1 and 200.", ZH_CN) == "长度须在 1 到 200 之间。"
    assert translate("Must be one of: annual, instant.", ZH_CN) == "须为以下之一：annual, instant。"
    assert translate("no message of ours", ZH_CN) == "no message of ours"
