"""The year's archive of a unit (年度归档): one ZIP with every form of the year, the pledge ledger, the grading report
and a table of contents, made in the background by the gateway's worker, read from the services as the person
who asked for it (their identity signed again for each read: the job outlasts one signed identity)."""
from __future__ import annotations

import csv
import io
import logging
import uuid
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

import sqlalchemy as sa

from pacesetter_shared.i18n import _
from pacesetter_shared.identity import Identity, sign_identity
from pacesetter_shared.scheduler import PeriodicJob
from pacesetter_shared.uow import UnitOfWork, UnitOfWorkFactory
from pacesetter_shared.web.errors import ApiError

from ..adapters import rendering
from ..adapters.services import ServiceReader
from ..adapters.tables import form_archives, units, windows
from ..domain import forms as domain
from . import directory
from . import forms

log = logging.getLogger(__name__)

BATCH = 20  # forms converted per LibreOffice run: its start-up shared, progress still shown as it goes
XLSX_OF = {"ledger": "承诺台账", "report": "分类定级结果汇总"}


@dataclass
class Entry:
    """One file of the archive: where it goes in the ZIP, what the table of contents calls it, and how it is made
    (a form's DOCX to convert, or a finished file)."""

    path: str
    title: str
    make: Callable[[UnitOfWork], bytes]  # in a unit of work of the batch it is made in
    is_form: bool = True


def _view(row) -> dict:
    return {k: v for k, v in row._mapping.items() if k not in ("content", "requester")}


def request_archive(uow: UnitOfWork, identity: Identity, unit_id, year: int) -> dict:
    """Queue the unit's archive of the year: its secretaries' or the organisation department's to ask for."""
    unit = directory.get_unit(uow, unit_id)
    try:
        directory.require_unit_lead(uow, identity, unit_id)
    except directory.Forbidden:
        raise directory.Forbidden(_("Only the unit's secretaries or the organisation department archive its year.")) \
            from None
    archive_id = uuid.uuid4()
    uow.session.execute(form_archives.insert().values(
        id=archive_id, unit_id=unit["id"], year=year, state="queued", requested_by=uuid.UUID(identity.subject),
        requester=identity.to_claims(), requested_at=datetime.now(timezone.utc), total=0, done=0))
    return get_archive(uow, identity, archive_id)


def get_archive(uow: UnitOfWork, identity: Identity, archive_id) -> dict:
    row = uow.session.execute(sa.select(form_archives).where(form_archives.c.id == archive_id)).first()
    if row is None or str(row.requested_by) != identity.subject and not identity.has_role("org_department"):
        raise directory.NotFound(_("No such archive."))
    return _view(row) | {"unit_name": directory.get_unit(uow, row.unit_id)["name"]}


def list_archives(uow: UnitOfWork, identity: Identity, limit: int, offset: int) -> tuple[list[dict], int]:
    """Mine, newest first (the organisation department's: everyone's)."""
    query = sa.select(*[c for c in form_archives.c if c.name not in ("content", "requester")])
    if not identity.has_role("org_department"):
        query = query.where(form_archives.c.requested_by == uuid.UUID(identity.subject))
    total = uow.session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
    rows = uow.session.execute(query.order_by(form_archives.c.requested_at.desc()).limit(limit).offset(offset)).all()
    names = dict(uow.session.execute(sa.select(units.c.id, units.c.name).where(
        units.c.id.in_({r.unit_id for r in rows}))).all())
    return [dict(r._mapping) | {"unit_name": names.get(r.unit_id, "")} for r in rows], total


def archive_file(uow: UnitOfWork, identity: Identity, archive_id) -> tuple[bytes, str]:
    archive = get_archive(uow, identity, archive_id)
    if archive["state"] != "ready":
        raise domain.NotPrintable(_("The archive is not ready yet."), {"state": [archive["state"]]})
    content = uow.session.execute(sa.select(form_archives.c.content)
                                  .where(form_archives.c.id == archive_id)).scalar_one()
    return content, archive["filename"]


# -- Making it (the worker) --

def _entries(uow: UnitOfWork, reader: Callable[[], ServiceReader], identity: Identity, unit_id, year: int
             ) -> list[Entry]:
    """Every file of the unit's year that the requester may see, in the order of the table of contents."""
    entries: list[Entry] = []

    def form(kind: str, folder: str, name: str, query: dict) -> Entry:
        form_kind = domain.FORM_KINDS[kind]

        def make(batch_uow: UnitOfWork) -> bytes:
            return forms.render_form(batch_uow, reader(), identity, form_kind, query, "docx")[0]
        return Entry(f"{folder}/{form_kind.zh}-{_safe(name)}.pdf", f"{form_kind.zh}：{name}", make)

    ledger = _all(reader(), "/api/pledges/ledger", unit_id=unit_id, year=year)
    for number, row in enumerate(ledger, 1):
        name = f"{row['pledger_name']}-{number:03d}"
        entries.append(form("pledge-letter", "01-承诺书", name, {"pledge_id": row["id"]}))
        if row.get("state") == "evaluated":
            evaluation = (reader().get(f"/api/pledges/{row['id']}").get("evaluation") or {})
            if evaluation.get("round_id"):
                entries.append(form("member-review", "03-党员评议表", name, {"round_id": evaluation["round_id"]}))
    # 党员年度评议: each member's completed round of the year under the unit, as evaluation lists them to organisers
    for number, row in enumerate(_all(reader(), "/api/evaluations/rounds", unit_id=unit_id, year=year,
                                      target_kind="member_year", state="completed"), 1):
        name = f"{row.get('subject_name') or ''}-年度评议-{number:03d}"
        entries.append(form("member-review", "03-党员评议表", name, {"round_id": row["id"]}))
    below = directory.units_below(uow, unit_id)
    for window in uow.session.execute(sa.select(windows).where(windows.c.unit_id.in_(below), windows.c.active)
                                      .order_by(windows.c.name)).all():
        for person_id in window.on_duty_ids or []:
            person = forms.person_name(uow, person_id)
            ids = {"window_id": window.id, "person_id": uuid.UUID(str(person_id))}
            entries.append(form("desk-plate", "02-承诺桌牌与名片", f"{window.name}-{person}", ids))
            entries.append(form("name-card", "02-承诺桌牌与名片", f"{window.name}-{person}", ids))
    cycle = next((c for c in _all(reader(), "/api/grading/cycles") if c["year"] == year), None)
    if cycle is not None:
        branches = uow.session.execute(sa.select(units.c.id, units.c.name).where(
            units.c.id.in_(below), units.c.kind == "branch").order_by(units.c.name)).all()
        for branch in branches:
            ids = {"cycle_id": cycle["id"], "branch_id": branch.id}
            for kind in ("grading-application", "grading-result", "rectification-plan"):
                entries.append(form(kind, "04-分类定级", branch.name, ids))
        entries.append(Entry(f"05-汇总/{XLSX_OF['report']}-{year}.xlsx", f"{XLSX_OF['report']}（{year} 年）",
                             lambda _uow: reader().get_bytes(f"/api/grading/cycles/{cycle['id']}/report.xlsx"), False))
    entries.append(Entry(f"05-汇总/{XLSX_OF['ledger']}-{year}.xlsx", f"{XLSX_OF['ledger']}（{year} 年）",
                         lambda _uow: reader().get_bytes("/api/pledges/ledger/export", unit_id=unit_id, year=year,
                                                    format="xlsx"), False))
    return entries


PAGE = 100  # the largest page every service's lists give


def _all(reader: ServiceReader, path: str, **query) -> list[dict]:
    items, offset = [], 0
    while True:
        page = reader.get(path, **query, limit=PAGE, offset=offset)
        items += page["items"]
        offset += len(page["items"])
        if not page["items"] or offset >= page["total"]:
            return items


def _safe(name: str) -> str:
    return "".join("_" if ch in '/\\:*?"<>|' else ch for ch in name)[:80]


def _progress(uow_factory: UnitOfWorkFactory, archive_id, **values) -> None:
    with uow_factory() as uow:
        uow.session.execute(form_archives.update().where(form_archives.c.id == archive_id).values(**values))


def build_archive(uow_factory: UnitOfWorkFactory, service_urls: dict[str, str], private_key: str, row) -> None:
    """Make one queued archive: every entry the requester may see (what a service refuses them is left out and
    said so in the table of contents), the forms converted to PDF a batch at a time, the progress kept."""
    identity = Identity.from_claims(row.requester)

    def reader() -> ServiceReader:
        return ServiceReader(service_urls, sign_identity(identity, private_key), "zh-CN", f"archive-{row.id}")

    files: list[tuple[Entry, bytes]] = []
    left_out: list[tuple[Entry, str]] = []
    with uow_factory() as uow:
        entries = _entries(uow, reader, identity, row.unit_id, row.year)
        unit_name = directory.get_unit(uow, row.unit_id)["name"]
    _progress(uow_factory, row.id, total=len(entries) + 1)
    for start in range(0, len(entries), BATCH):
        batch = entries[start:start + BATCH]
        made: list[tuple[Entry, bytes]] = []
        with uow_factory() as uow:
            for entry in batch:
                try:
                    made.append((entry, entry.make(uow)))
                except (ApiError, domain.FormRefused) as exc:
                    left_out.append((entry, str(exc.args[0]) if exc.args else type(exc).__name__))
        forms = [(e, d) for e, d in made if e.is_form]
        pdfs = rendering.docx_to_pdfs([d for _e, d in forms]) if forms else []
        files += [(e, pdf) for (e, _d), pdf in zip(forms, pdfs)] + [(e, d) for e, d in made if not e.is_form]
        _progress(uow_factory, row.id, done=min(start + BATCH, len(entries)))
    files.sort(key=lambda f: entries.index(f[0]))
    filename = f"{unit_name}-{row.year}年度归档.zip"
    _progress(uow_factory, row.id, state="ready", done=len(entries) + 1, content=_zip(files, left_out, unit_name, row.year),
              filename=filename, finished_at=datetime.now(timezone.utc))


def _zip(files: list[tuple[Entry, bytes]], left_out: list[tuple[Entry, str]], unit: str, year: int) -> bytes:
    """The files, and 00-目录.csv first: number, title and path of each, then what was left out and why."""
    toc = io.StringIO()
    writer = csv.writer(toc)
    writer.writerow([f"{unit} {year} 年度归档目录"])
    writer.writerow(["序号", "名称", "文件"])
    for number, (entry, _content) in enumerate(files, 1):
        writer.writerow([number, entry.title, entry.path])
    if left_out:
        writer.writerow([])
        writer.writerow(["未收录", "原因"])
        for entry, reason in left_out:
            writer.writerow([entry.title, reason])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(domain.ARCHIVE_TOC, "\ufeff" + toc.getvalue())  # with a BOM: Excel reads it as UTF-8
        for entry, content in files:
            archive.writestr(entry.path, content)
    return out.getvalue()


def archive_jobs(uow_factory: UnitOfWorkFactory, service_urls: dict[str, str], private_key: str) -> list[PeriodicJob]:
    """The worker's job: the oldest queued archive, claimed so that one replica makes it (SKIP LOCKED)."""

    def run(_now: datetime) -> int:
        with uow_factory() as uow:
            row = uow.session.execute(sa.select(form_archives).where(form_archives.c.state == "queued")
                                      .order_by(form_archives.c.requested_at).limit(1)
                                      .with_for_update(skip_locked=True)).first()
            if row is None:
                return 0
            uow.session.execute(form_archives.update().where(form_archives.c.id == row.id).values(state="running"))
        try:
            build_archive(uow_factory, service_urls, private_key, row)
        except Exception as exc:  # noqa: BLE001 — whatever failed, the archive says so instead of running forever
            log.exception("archive %s failed", row.id)
            _progress(uow_factory, row.id, state="failed", error=str(exc)[:2000], finished_at=datetime.now(timezone.utc))
        return 1

    return [PeriodicJob("form_archives", 5, run)]
