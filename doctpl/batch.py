"""Batches: many documents at once, from the registry or from a spreadsheet, into one zip.

Every row is validated before anything is produced. Documents are rendered on all cores by
workers that inherit the prepared templates, a bounded number at a time, and written to the zip
as they arrive, so memory stays flat however many there are.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import zipfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice, tee
from typing import IO, Any

from sqlalchemy.orm import Session

from doctpl import engine, fields, pdf, spreadsheet, the_thuc
from doctpl.errors import FieldError, ValidationError
from doctpl.kind import Kind, get_kind
from doctpl.render import render
from doctpl.store import next_year, records, registry
from doctpl.vn.text import ascii_slug

CHUNK = 20
REPORT = "BAO-CAO-LOI.txt"
REVIEW = "CAN-XEM-LAI.txt"
# Names Windows keeps for devices, with or without an extension, in any case: a folder "CON/" cannot be unpacked.
WINDOWS_RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", *(f"{port}{n}" for port in ("COM", "LPT")
                                                             for n in range(10))})
MAX_FOLDER, MAX_ENTRY = 60, 200  # characters of a folder name, and of a whole entry path with its extension


@dataclass(frozen=True)
class Job:
    """One document to produce: its kind, its data, the folder (unit) it goes in, what to review before signing."""

    kind_id: str
    raw: dict[str, Any]
    folder: str
    note: str = ""


@dataclass(frozen=True)
class Problem:
    """A row that cannot be produced: where it is and what is wrong."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def from_rows(kind: Kind, rows: list[spreadsheet.Row]) -> tuple[list[Job], list[Problem]]:
    """Validate every row; return the jobs of the good rows and a problem per error, by row and column."""
    jobs, problems = [], []
    for row in rows:
        try:
            data = kind.validate(row.raw)
        except ValidationError as error:
            problems += [Problem(spreadsheet.locate(row, e), e.message) for e in error.errors()]
            continue
        jobs.append(Job(kind.id, row.raw, data["co_quan"]["ten"]))
    return jobs, problems


def from_registry(session: Session, khoi_id: int, nam: int, kind_ids: list[str], *, who: str,
                  save: bool = False, lay_so: bool = False) -> tuple[list[Job], list[Problem]]:
    """Return the khối's documents of `nam` (khối-level kinds once, unit-level kinds for every member) and problems.

    Each starts from the unit's saved record of that year; failing that, the next-year rule
    (doctpl.store.next_year) starts it from its record of an earlier year or the khối's latest of
    that kind, or from the example. A document the registry cannot complete (no trưởng khối yet)
    is a problem, not a file; with `save` it is kept as a draft. With `save` every document
    becomes a record (a new version if it was one); with `lay_so` it takes a number.
    """
    on = dt.date(nam, 1, 1)
    khoi = registry.khoi_on(session, khoi_id, on)
    units = registry.members(session, khoi_id, on)
    planned = []
    for kind_id in kind_ids:
        kind = get_kind(kind_id)
        for unit in (units if kind.scope == "don_vi" else [None]):
            planned.append((kind, unit, *_source(session, kind, khoi_id, unit.id if unit else None, nam)))
    jobs, problems = [], []
    for kind, unit, raw, note, record_id, missing in planned:  # all sources read before anything is saved
        folder = unit.ten if unit else khoi.ten
        if save:
            record = records.save(session, kind.id, raw, who=who, khoi_id=khoi_id, don_vi_id=unit.id if unit else None,
                                  record_id=record_id, lay_so=lay_so, draft=True)
            raw = records.data(session, record.id)
        if missing:
            problems += [Problem(f"{folder} – {kind.title}", f"«{fields.describe(kind.fields, e.field)}»: {e.message}")
                         for e in missing]
            continue
        jobs.append(Job(kind.id, raw, folder, note))
    return jobs, problems


def _source(session: Session, kind: Kind, khoi_id: int, unit_id: int | None, nam: int
            ) -> tuple[dict[str, Any], str, int | None, list[FieldError]]:
    """Return a document's data, what to review, the record it updates, and what it still lacks."""
    found = [r for r in records.find(session, khoi_id=khoi_id, kind=kind.id) if r.nam <= nam]  # newest first
    own = [r for r in found if r.don_vi_id == unit_id]
    if own and own[0].nam == nam:
        data = records.data(session, own[0].id)  # the unit's own document: nothing to review
        return data, "", own[0].id, kind.draft(data)[1]
    base_record = own[0] if own else (found[0] if found else None)
    if base_record is None:
        base, note = kind.example(), "dựng từ văn bản mẫu, cần sửa nội dung"
    else:
        base, note = records.data(session, base_record.id), f"dựng từ bản lưu #{base_record.id}"
    same = base_record is not None and base_record.don_vi_id == unit_id
    rolled, _, _ = next_year.next_document(session, kind, base, nam, khoi_id=khoi_id, don_vi_id=unit_id,
                                           same_issuer=same)
    review = [f"«{item.label}»: {item.reason}" for item in rolled.review()]
    missing = kind.draft(rolled.data)[1]
    return rolled.data, "; ".join([note, *review]), None, missing


def _render_chunk(jobs: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, bytes]]:
    out = []
    for kind_id, raw in jobs:
        document = render(kind_id, raw)
        out.append((document.title, document.content))
    return out


def render_all(jobs: Iterable[Job], workers: int | None = None) -> Iterator[tuple[Job, str, bytes]]:
    """Yield (job, title, .docx bytes) in order, rendering on `workers` processes (all cores by default)."""
    workers = workers or os.cpu_count() or 1
    if isinstance(jobs, Sequence) and len(jobs) <= CHUNK:
        workers = 1  # a handful of documents is faster in this process than in a pool
    if workers == 1:
        for job in jobs:
            ((title, content),) = _render_chunk([(job.kind_id, job.raw)])
            yield job, title, content
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    pending: deque[tuple[list[Job], Future[list[tuple[str, bytes]]]]] = deque()
    iterator = iter(jobs)
    # Workers die with this process (kill -9 included), so none is left holding its sockets.
    with ProcessPoolExecutor(workers, mp_context=context, initializer=pdf.die_with_parent,
                             initargs=(os.getpid(),)) as pool:
        while chunk := list(islice(iterator, CHUNK)):
            for kind_id in {job.kind_id for job in chunk}:
                for rules in the_thuc.versions():  # prepared once, inherited by forked workers
                    engine.prepared(get_kind(kind_id).template_path(rules))
            pending.append((chunk, pool.submit(_render_chunk, [(j.kind_id, j.raw) for j in chunk])))
            while len(pending) > 2 * workers:  # bounded: a few chunks in flight, never the whole batch
                yield from _finished(pending.popleft())
        while pending:
            yield from _finished(pending.popleft())


def _finished(item: tuple[list[Job], Future[list[tuple[str, bytes]]]]) -> Iterator[tuple[Job, str, bytes]]:
    chunk, future = item
    for job, (title, content) in zip(chunk, future.result(), strict=True):
        yield job, title, content


def with_pdf(results: Iterable[tuple[Job, str, bytes]]) -> Iterator[tuple[Job, str, bytes, bytes]]:
    """Add the PDF of each document, converted by the warm LibreOffice pool, in order."""
    first, second = tee(results)
    converted = pdf.pool().convert_many(content for _, _, content in first)
    for (job, title, content), document_pdf in zip(second, converted, strict=True):
        yield job, title, content, document_pdf


def _part(text: str, limit: int) -> str:
    """Return a file or folder name every system unpacks: ASCII, at most `limit` characters, no device name."""
    part = ascii_slug(text)[:limit].rstrip("-") or "van-ban"
    return f"{part}-vb" if part.upper() in WINDOWS_RESERVED else part


def entry_stem(folder: str, title: str, seen: set[str]) -> str:
    """Return a document's zip path without extension ("Ban-Tuyen-giao/Dang-ky-thi-dua-…"), unique within `seen`.

    Windows compares names without case, so uniqueness does too; with ".docx" the path stays within MAX_ENTRY.
    """
    head = _part(folder, MAX_FOLDER)
    base = f"{head}/{_part(title, MAX_ENTRY - len(head) - len('/.docx') - len('-9999'))}"
    stem, count = base, 1
    while stem.lower() in seen:
        count += 1
        stem = f"{base}-{count}"
    seen.add(stem.lower())
    return stem


def write_zip(target: IO[bytes], results: Iterable[tuple[Job, str, bytes]], problems: Iterable[Problem] = (),
              progress: Callable[[int], None] | None = None, *, pdfs: bool = False) -> int:
    """Stream the documents into a zip, one folder per unit, ASCII-safe names; add the error report
    and the list of documents to review (built from another document, old years left in the text).

    With `pdfs`, each .docx is followed by its PDF.
    """
    seen: set[str] = set()
    review: list[str] = []
    count = 0
    items = with_pdf(results) if pdfs else ((*item, b"") for item in results)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as archive:
        for job, title, content, document_pdf in items:
            stem = entry_stem(job.folder, title, seen)
            archive.writestr(zipfile.ZipInfo(f"{stem}.docx", date_time=(1980, 1, 1, 0, 0, 0)), content)
            if document_pdf:
                archive.writestr(zipfile.ZipInfo(f"{stem}.pdf", date_time=(1980, 1, 1, 0, 0, 0)), document_pdf)
            if job.note:
                review.append(f"{stem}.docx: {job.note}")
            count += 1
            if progress:
                progress(count)
        for name, heading, lines in ((REPORT, "Các dòng không tạo được văn bản:", [str(p) for p in problems]),
                                     (REVIEW, "Các văn bản cần xem lại trước khi ký:", review)):
            if lines:
                text = heading + "\n" + "\n".join(lines) + "\n"
                archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)),
                                 ("\ufeff" + text).encode("utf-8"))
    return count
