"""Bulk import of units and people from CSV or XLSX — the way a committee holds its rosters.

A dry run reports every bad row with its line number and reason and writes nothing; the
real import checks the same way and then writes every row in one transaction, or none.
Headers may be in Chinese or English (see ``UNIT_COLUMNS`` / ``PERSON_COLUMNS``).
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa

from pacesetter_shared.i18n import _, term
from pacesetter_shared.identity import Identity
from pacesetter_shared.uow import UnitOfWork

from ..adapters.tables import persons, units
from ..domain.model import PARENT_KIND, ROLE_UNIT_KIND, DirectoryError
from ..domain.passwords import DEFAULT_POLICY, PasswordPolicy
from . import directory

UNIT_COLUMNS = {"名称": "name", "类型": "kind", "上级": "parent", "部门类型": "department_kind"}
PERSON_COLUMNS = {"姓名": "name", "用户名": "username", "初始密码": "password", "邮箱": "email", "所在支部": "branch",
                  "党小组": "group", "政治面貌": "member_status", "入党日期": "joined_on", "角色": "roles",
                  "免于承诺年份": "exemption_year", "免于承诺原因": "exemption_reason", "语言": "language"}
UNIT_KIND_WORDS = {"党委": "committee", "党总支": "general_branch", "党支部": "branch", "党小组": "group"}
DEPARTMENT_WORDS = {"教学": "teaching", "教学部门": "teaching", "机关管理": "administrative",
                    "机关管理部门": "administrative", "机关": "administrative", "其他": "other"}
STATUS_WORDS = {"正式党员": "full", "预备党员": "probationary", "群众": "none", "": "none"}
ROLE_WORDS = {"党员": "member", "支部书记": "branch_secretary", "党总支书记": "general_branch_secretary",
              "组织部": "org_department", "运维": "ops_admin"}
MAX_ROWS = 20000
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
USERNAME = re.compile(r"^[A-Za-z0-9_.-]{2,64}$")


class ImportRejected(DirectoryError):
    """The file has bad rows; nothing was written."""


@dataclass
class ImportReport:
    kind: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    errors: list[dict] = field(default_factory=list)

    def error(self, line: int, column: str, reason: str) -> None:
        self.errors.append({"line": line, "field": column, "reason": reason})


def read_table(content: bytes, filename: str = "") -> list[dict[str, str]]:
    """Rows as {header: text}; header names are stripped. XLSX by content, else CSV (UTF-8 or GBK)."""
    if content[:2] == b"PK" or filename.lower().endswith(".xlsx"):
        try:
            from openpyxl import load_workbook  # on an import only: 6 MB less in every gateway process

            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        except Exception as exc:
            raise ImportRejected(_("The file is not a readable XLSX workbook."), {"file": [str(exc)[:200]]}) from None
        rows = sheet.iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(rows, [])]
        table = [{header[i]: _cell(v) for i, v in enumerate(row) if i < len(header)} for row in rows]
    else:
        for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ImportRejected(_("The CSV file is neither UTF-8 nor GBK."), {"file": [_("unknown encoding")]})
        reader = csv.DictReader(io.StringIO(text, newline=""))  # as csv wants it: a lone CR ends a line
        try:  # cells past the header (under None) are ignored, as in a workbook
            table = [{k.strip(): (v or "").strip() for k, v in row.items() if k is not None} for row in reader]
        except csv.Error as exc:  # a field over csv's limit, a stray quote…
            raise ImportRejected(_("The CSV file cannot be read."), {"file": [str(exc)[:200]]}) from None
    table = [row for row in table if any(v for v in row.values())]
    if len(table) > MAX_ROWS:
        raise ImportRejected(_("At most {count} rows per file.", count=MAX_ROWS),
                             {"file": [_("{count} rows", count=len(table))]})
    return table


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _normalise(row: dict[str, str], columns: dict[str, str]) -> dict[str, str]:
    english = set(columns.values())
    return {columns.get(k, k if k in english else None): v for k, v in row.items() if columns.get(k) or k in english}


def import_roster(uow: UnitOfWork, identity: Identity, kind: str, content: bytes, filename: str,
                  dry_run: bool, passwords: PasswordPolicy = DEFAULT_POLICY) -> ImportReport:
    directory.require_directory_admin(identity)
    table = read_table(content, filename)
    report = ImportReport(kind=kind, dry_run=dry_run, rows=len(table))
    columns = UNIT_COLUMNS if kind == "units" else PERSON_COLUMNS
    for line, row in enumerate(table, start=2):  # a CSV may hold NUL, which PostgreSQL's text cannot keep
        for column, value in _normalise(row, columns).items():
            if "\x00" in value:
                report.error(line, column, _("Text may not contain the NUL character."))
    plan = _plan_units(uow, table, report) if kind == "units" else _plan_persons(uow, table, report, passwords)
    if report.errors:
        if dry_run:
            return report
        raise ImportRejected(_("{count} problem(s) in the file; nothing was imported.", count=len(report.errors)),
                             {"errors": report.errors})
    if not dry_run:
        for make in plan:
            make()
        report.created = len(plan)
    return report


def _unit_ids_by_name(uow: UnitOfWork) -> dict[str, tuple]:
    return {r.name: (r.id, r.kind) for r in uow.session.execute(sa.select(units.c.id, units.c.name, units.c.kind))}


def _plan_units(uow: UnitOfWork, table, report: ImportReport) -> list:
    known = _unit_ids_by_name(uow)
    plan, new_kinds = [], {}
    for line, raw in enumerate(table, start=2):
        row = _normalise(raw, UNIT_COLUMNS)
        name, kind_text = row.get("name", ""), row.get("kind", "")
        kind = UNIT_KIND_WORDS.get(kind_text, kind_text)
        problems = len(report.errors)
        if not name:
            report.error(line, "name", _("required"))
        elif name in known or name in new_kinds:
            report.error(line, "name", _("a unit named {name} already exists", name=name))
        if kind not in PARENT_KIND:
            report.error(line, "kind", _("unknown kind {kind!r}: {choices}", kind=kind_text, choices="/".join(UNIT_KIND_WORDS)))
            kind = None
        parent = row.get("parent", "")
        parent_kind = known[parent][1] if parent in known else new_kinds.get(parent)
        if kind is not None:
            expected = PARENT_KIND[kind]
            if expected is None and parent:
                report.error(line, "parent", _("a committee has no parent"))
            elif expected is not None and parent_kind != expected:
                report.error(line, "parent", _("{parent} is not a known {kind} listed above or in the directory",
                                                 parent=parent or _("(empty)"), kind=term("unit_kind", expected)))
        department_text = row.get("department_kind", "") or "其他"
        department = DEPARTMENT_WORDS.get(department_text, department_text)
        if department not in ("teaching", "administrative", "other"):
            report.error(line, "department_kind", _("unknown department kind {kind!r}: {choices}",
                                                    kind=department_text, choices="教学/机关管理/其他"))
        if len(report.errors) == problems and name:
            new_kinds[name] = kind
            plan.append(_unit_maker(uow, name, kind, parent, department, known))
    return plan


def _unit_maker(uow, name, kind, parent, department, known):
    # Parents may be created earlier in the same file: their ids are known only when made.
    def make():
        created = directory.create_unit(uow, None, {
            "name": name, "kind": kind, "department_kind": department,
            "parent_id": known[parent][0] if parent else None})
        known[name] = (created["id"], kind)
    return make


def _plan_persons(uow: UnitOfWork, table, report: ImportReport, passwords: PasswordPolicy) -> list:
    known = _unit_ids_by_name(uow)
    taken = set(uow.session.execute(sa.select(persons.c.username).where(persons.c.username.is_not(None))).scalars())
    plan = []
    for line, raw in enumerate(table, start=2):
        row = _normalise(raw, PERSON_COLUMNS)
        problems = len(report.errors)
        data: dict = {"name": row.get("name", "")}
        if not data["name"]:
            report.error(line, "name", _("required"))
        username = row.get("username", "")
        if username:
            if not USERNAME.match(username):
                report.error(line, "username", _("2–64 letters, digits, _ . -"))
            elif username in taken:
                report.error(line, "username", _("{username} is taken", username=username))
            taken.add(username)
            data["username"] = username
        password = row.get("password", "")
        if password:
            for problem in passwords.problems(password, (username, data["name"], row.get("email"))):
                report.error(line, "password", problem)
            data["password"] = password
        email = row.get("email", "")
        if email and not EMAIL.match(email):
            report.error(line, "email", _("{email!r} is not an e-mail address", email=email))
        data["email"] = email or None
        branch = row.get("branch", "")
        if branch:
            if known.get(branch, (None, None))[1] != "branch":
                report.error(line, "branch", _("{branch} is not a branch in the directory", branch=branch))
            else:
                data["unit_id"] = known[branch][0]
        group = row.get("group", "")
        if group:
            if known.get(group, (None, None))[1] != "group":
                report.error(line, "group", _("{group} is not a group in the directory", group=group))
            else:
                data["group_id"] = known[group][0]
        status_text = row.get("member_status", "")
        status = STATUS_WORDS.get(status_text, status_text)
        if status not in ("full", "probationary", "none"):
            report.error(line, "member_status", _("unknown member status {status!r}: {choices}", status=status_text,
                                                  choices="正式党员/预备党员/群众"))
        data["member_status"] = status
        data["category"] = "member" if status in ("full", "probationary") else "masses"
        joined = row.get("joined_on", "")
        if joined:
            try:
                data["joined_on"] = date.fromisoformat(joined[:10])
            except ValueError:
                report.error(line, "joined_on", _("{value!r} is not a date (YYYY-MM-DD)", value=joined))
        language = row.get("language", "") or "zh"
        if language not in ("zh", "en"):
            report.error(line, "language", _("zh or en"))
        data["language"] = language
        data["roles"] = _roles(row.get("roles", ""), data.get("unit_id"), known, report, line)
        year = row.get("exemption_year", "")
        if year:
            if not year.isdigit() or not 2000 <= int(year) <= 2100:
                report.error(line, "exemption_year", _("{value!r} is not a year", value=year))
            elif not row.get("exemption_reason"):
                report.error(line, "exemption_reason", _("an exemption needs its reason (e.g. old age or ill health)"))
            else:
                data["exemptions"] = [{"year": int(year), "reason": row["exemption_reason"]}]
        if len(report.errors) == problems:
            plan.append(lambda data=data: directory.create_person(uow, None, data, passwords))
    return plan


def _roles(text: str, branch_id, known, report: ImportReport, line: int) -> list[dict]:
    """``支部书记@教工第一党支部; 党员`` — a role without a unit is held on the person's own branch."""
    grants = []
    for part in filter(None, (p.strip() for p in re.split(r"[;；,，]", text))):
        role_text, _sep, unit_name = part.partition("@")
        role = ROLE_WORDS.get(role_text.strip(), role_text.strip())
        if role not in ROLE_UNIT_KIND:
            report.error(line, "roles", _("unknown role {role!r}: {choices}", role=role_text, choices="/".join(ROLE_WORDS)))
            continue
        wanted = ROLE_UNIT_KIND[role]
        if unit_name.strip():
            unit_id, kind = known.get(unit_name.strip(), (None, None))
            if kind != wanted:
                report.error(line, "roles", _("{role} is held on a {kind}; {unit} is not one", role=role_text,
                                                   kind=term("unit_kind", wanted), unit=unit_name))
                continue
        elif wanted == "branch" and branch_id:
            unit_id = branch_id
        elif wanted is None:
            unit_id = None
        else:
            report.error(line, "roles", _("{role} needs its unit: {role}@<unit name>", role=role_text))
            continue
        grants.append({"role": role, "unit_id": unit_id})
    return grants
