"""Batches: many documents at once, from the registry or from a spreadsheet, into one zip.

Every row is validated before anything is produced. Documents are rendered on all cores by
workers that inherit the prepared templates, a bounded number at a time, and written to the zip
as they arrive, so memory stays flat however many there are.
"""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
import pickle
import tempfile
import threading
import weakref
import zipfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Sized
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice, tee
from typing import IO, Any

from sqlalchemy.orm import Session

from doctpl import engine, fields, limits, pdf, spreadsheet, the_thuc
from doctpl.errors import FieldError, ValidationError
from doctpl.kind import Kind, get_kind
from doctpl.render import render_data
from doctpl.store import next_year, records, year_facts
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
    """One document to produce: its kind, its data, the folder (unit) it goes in, what to review before signing.

    `data`, when given, is the data validated already (what Kind.validate returns from `raw`): the document is
    rendered from it as it is, never validated again. Without it, `raw` is validated where it is rendered.
    """

    kind_id: str
    raw: Mapping[str, Any]
    folder: str
    note: str = ""
    data: Mapping[str, Any] | None = None

    def payload(self) -> tuple[str, Mapping[str, Any], bool]:
        """Return what a render worker needs: the kind, the data, and whether it is validated already."""
        return (self.kind_id, self.data, True) if self.data is not None else (self.kind_id, self.raw, False)


@dataclass(frozen=True)
class Problem:
    """A row that cannot be produced: where it is and what is wrong."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class Pickled(Mapping[str, Any]):
    """Validated data kept pickled until something reads it; pickled again (to a render worker), it travels as
    these bytes and arrives as the data itself, so the process that hands it on never decodes it."""

    __slots__ = ("_value", "payload")

    def __init__(self, payload: bytes):
        self.payload = payload
        self._value: dict[str, Any] | None = None

    @property
    def value(self) -> dict[str, Any]:
        """Return the data, decoded on first use."""
        if self._value is None:
            self._value = pickle.loads(self.payload)
        return self._value

    def __getitem__(self, key: str) -> Any:
        return self.value[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.value)

    def __len__(self) -> int:
        return len(self.value)

    def __reduce__(self) -> tuple[Any, tuple[bytes]]:
        return pickle.loads, (self.payload,)


def _worker(parent: int) -> None:
    """Start a forked batch worker: it dies with its parent, and its collector leaves alone what it inherited.

    gc.freeze() moves the parent's objects (modules, prepared templates) out of the collector's reach, so
    collections in the worker neither walk them nor write to their pages, which stay shared with the parent.
    """
    pdf.die_with_parent(parent)
    gc.freeze()


def plain(data: Mapping[str, Any]) -> dict[str, Any]:
    """Return data as a plain dict (the decoded value of Pickled data)."""
    return data.value if isinstance(data, Pickled) else dict(data)


class Spooled(Sequence[Job]):
    """Validated documents kept in an anonymous temporary file, not in memory, and read back one at a time."""

    def __init__(self, kind_id: str):
        self.kind_id = kind_id
        self.file = tempfile.TemporaryFile()
        self.index: list[tuple[int, int, str]] = []  # offset, length, folder
        self.size = 0
        weakref.finalize(self, self.file.close)  # the file goes (it has no name) when the jobs are dropped

    def add(self, folder: str, payload: bytes) -> None:
        """Keep one document's validated data (pickled)."""
        self.file.write(payload)
        self.index.append((self.size, len(payload), folder))
        self.size += len(payload)

    def _job(self, offset: int, length: int, folder: str) -> Job:
        data = Pickled(os.pread(self.file.fileno(), length, offset))
        return Job(self.kind_id, data, folder, data=data)  # the row's own cells are not kept: its data stands for them

    def __len__(self) -> int:
        return len(self.index)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self._job(*item) for item in self.index[index]]
        return self._job(*self.index[index])

    def __iter__(self) -> Iterator[Job]:
        self.file.flush()
        for item in self.index:
            yield self._job(*item)


def _checked(kind: Kind, row: spreadsheet.Row) -> tuple[dict[str, Any] | None, list[Problem]]:
    try:
        return kind.validate(row.raw), []
    except ValidationError as error:
        return None, [Problem(spreadsheet.locate(row, e), e.message) for e in error.errors()]


def _check_chunk(kind_id: str, rows: list[spreadsheet.Row]) -> list[tuple[str, bytes] | list[Problem]]:
    """Validate rows in a worker: each gives (folder, its validated data pickled) or its problems."""
    kind, out = get_kind(kind_id), []
    for row in rows:
        data, problems = _checked(kind, row)
        out.append(problems if data is None else (data["co_quan"]["ten"], pickle.dumps(data, pickle.HIGHEST_PROTOCOL)))
    return out


def from_rows(kind: Kind, rows: Iterable[spreadsheet.Row], workers: int | None = None
              ) -> tuple[Sequence[Job], list[Problem]]:
    """Validate every row, once, as the rows are read; return the jobs of the good rows (their validated data,
    rendered later without validating again) and a problem per error, by row and column.

    A few rows are validated here and kept in memory. More are validated on every core in forked
    processes, a bounded number at a time, and their data spooled to a temporary file, so memory stays
    flat however many rows the spreadsheet has. Without `workers`, a process that runs other threads (a
    web server) validates in this thread: it is not forked mid-request.
    """
    if workers is None:
        workers = (os.cpu_count() or 1) if threading.active_count() == 1 else 1
    small = isinstance(rows, Sized) and len(rows) <= CHUNK
    if workers == 1 or small or "fork" not in multiprocessing.get_all_start_methods():
        jobs, problems = [], []
        for row in rows:
            data, found = _checked(kind, row)
            if data is None:
                problems += found
            else:
                jobs.append(Job(kind.id, data, data["co_quan"]["ten"], data=data))  # one object, kept once
        return jobs, problems
    spooled, problems = Spooled(kind.id), []
    for result in _in_pool(_check_chunk, kind.id, rows, workers):
        if isinstance(result, list):
            problems += result
        else:
            spooled.add(*result)
    return spooled, problems


def _in_pool(work: Callable[..., list[Any]], kind_id: str, items: Iterable[Any], workers: int) -> Iterator[Any]:
    """Yield work(kind_id, chunk)'s results item by item, in order, from forked processes, a few chunks in flight."""
    pending: deque[Future[list[Any]]] = deque()
    iterator = iter(items)
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"), initializer=_worker,
                             initargs=(os.getpid(),)) as pool:
        while chunk := list(islice(iterator, CHUNK)):
            pending.append(pool.submit(work, kind_id, chunk))
            while len(pending) > 2 * workers:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def from_registry(session: Session, khoi_id: int, nam: int, kind_ids: list[str], *, who: str,
                  save: bool = False, lay_so: bool = False) -> tuple[list[Job], list[Problem]]:
    """Return the khối's documents of `nam` (khối-level kinds once, unit-level kinds for every member) and problems.

    Each starts from the unit's saved record of that year; failing that, the next-year rule
    (doctpl.store.next_year) starts it from its record of an earlier year or the khối's latest of
    that kind, or from the example. A document the registry cannot complete (no trưởng khối yet)
    is a problem, not a file; with `save` it is kept as a draft. With `save` every document
    becomes a record (a new version if it was one); with `lay_so` it takes a number.

    What it reads does not grow with the stored history: one query finds the latest record of each
    unit and kind (doctpl.store.records.latest), and the registry is read once for all the units.
    """
    on = dt.date(nam, 1, 1)
    lookups = next_year.Lookups(session)
    khoi = lookups.khoi_on(khoi_id, on)
    units = lookups.members(khoi_id, on)
    found = records.latest(session, khoi_id=khoi_id, kinds=kind_ids, nam=nam)
    planned = []
    for kind_id in kind_ids:
        kind = get_kind(kind_id)
        latest = records.newest([item for (kind_of, _), item in found.items() if kind_of == kind_id])
        for unit in (units if kind.scope == "don_vi" else [None]):
            unit_id = unit.id if unit else None
            planned.append((kind, unit, *_source(session, kind, khoi_id, unit_id, nam, found.get((kind_id, unit_id)),
                                                 latest, lookups)))
    jobs, problems = [], []
    for kind, unit, raw, note, record_id, missing, converted in planned:  # all sources read before anything is saved
        folder = unit.ten if unit else khoi.ten
        if save:
            record = records.save(session, kind.id, raw, who=who, khoi_id=khoi_id, don_vi_id=unit.id if unit else None,
                                  record_id=record_id, lay_so=lay_so, draft=True)
            raw, converted = records.data(session, record.id), None
        if missing:
            problems += [Problem(f"{folder} – {kind.title}", f"«{fields.describe(kind.fields, e.field)}»: {e.message}")
                         for e in missing]
            continue
        if kind.addressee and unit is None:  # one record, numbered once; a copy addressed to each member unit
            for member in units:
                copy = {**raw, kind.addressee: [member.ten]}
                jobs.append(Job(kind.id, copy, member.ten, note, data=kind.draft(copy)[0]))
            continue
        # validated once, by kind.draft: rendered as it is (a saved record's data is validated where it renders)
        jobs.append(Job(kind.id, raw, folder, note, data=converted))
    return jobs, problems


def _source(session: Session, kind: Kind, khoi_id: int, unit_id: int | None, nam: int, own: records.Latest | None,
            latest: records.Latest | None, lookups: next_year.Lookups
            ) -> tuple[dict[str, Any], str, int | None, list[FieldError], dict[str, Any] | None]:
    """Return a document's data, what to review, the record it updates, what it still lacks, and the data validated
    (None when something is missing).

    `own` is the unit's latest record of the kind (of `nam` or before), `latest` the khối's latest of the
    kind, whichever unit saved it.
    """
    if own is not None and own.record.nam == nam:
        data = own.data  # the unit's own document: nothing to review
        converted, missing = kind.draft(data)
        return data, "", own.record.id, missing, None if missing else converted
    own_text = kind.own_text and unit_id is not None  # a unit's report: never another's text
    base_record = own or (None if own_text else latest)
    if base_record is None and own_text:
        base, note = year_facts.start(session, kind, khoi_id, unit_id, nam), "dựng từ đăng ký và điểm của đơn vị"
    elif base_record is None:
        base, note = kind.example(), "dựng từ văn bản mẫu, cần sửa nội dung"
    else:
        base, note = base_record.data, f"dựng từ bản lưu #{base_record.record.id}"
    same = own_text or (base_record is not None and base_record.record.don_vi_id == unit_id)
    rolled, _, _ = next_year.next_document(session, kind, base, nam, khoi_id=khoi_id, don_vi_id=unit_id,
                                           same_issuer=same, lookups=lookups)
    review = [f"«{item.label}»: {item.reason}" for item in rolled.review()]
    converted, missing = kind.draft(rolled.data)
    return rolled.data, "; ".join([note, *review]), None, missing, None if missing else converted


def _render_chunk(jobs: list[tuple[str, Mapping[str, Any], bool]]) -> list[tuple[str, bytes]]:
    out = []
    try:
        for kind_id, raw, valid in jobs:
            kind = get_kind(kind_id)
            document = render_data(kind, plain(raw) if valid else kind.validate(raw), release=False)
            out.append((document.title, document.content))
    finally:
        limits.release_memory()
    return out


def render_all(jobs: Iterable[Job], workers: int | None = None) -> Iterator[tuple[Job, str, bytes]]:
    """Yield (job, title, .docx bytes) in order, rendering on `workers` processes (all cores by default).

    A job's validated data is rendered as it is; raw data is validated first.
    """
    workers = workers or os.cpu_count() or 1
    if isinstance(jobs, Sized) and len(jobs) <= CHUNK:
        workers = 1  # a handful of documents is faster in this process than in a pool
    if workers == 1:
        for job in jobs:
            ((title, content),) = _render_chunk([job.payload()])
            yield job, title, content
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    pending: deque[tuple[list[Job], Future[list[tuple[str, bytes]]]]] = deque()
    iterator = iter(jobs)
    # Workers die with this process (kill -9 included), so none is left holding its sockets.
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_worker, initargs=(os.getpid(),)) as pool:
        while chunk := list(islice(iterator, CHUNK)):
            for kind_id in {job.kind_id for job in chunk}:
                for rules in the_thuc.versions():  # prepared once, inherited by forked workers
                    engine.prepared(get_kind(kind_id).template_path(rules))
            pending.append((chunk, pool.submit(_render_chunk, [job.payload() for job in chunk])))
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


def entry_stem(folder: str, title: str, seen: set[str], counts: dict[str, int] | None = None) -> str:
    """Return a document's zip path without extension ("Ban-Tuyen-giao/Dang-ky-thi-dua-…"), unique within `seen`.

    Windows compares names without case, so uniqueness does too; with ".docx" the path stays within MAX_ENTRY.
    `counts` remembers the last number given to each name, so a thousand documents of one title cost no
    more than one each.
    """
    head = _part(folder, MAX_FOLDER)
    base = f"{head}/{_part(title, MAX_ENTRY - len(head) - len('/.docx') - len('-9999'))}"
    key = base.lower()
    count = counts.get(key, 1) if counts is not None else 1
    stem = base if count == 1 else f"{base}-{count}"
    while stem.lower() in seen:
        count += 1
        stem = f"{base}-{count}"
    seen.add(stem.lower())
    if counts is not None:
        counts[key] = count
    return stem


def write_zip(target: IO[bytes], results: Iterable[tuple[Job, str, bytes]], problems: Iterable[Problem] = (),
              progress: Callable[[int], None] | None = None, *, pdfs: bool = False) -> int:
    """Stream the documents into a zip, one folder per unit, ASCII-safe names; add the error report
    and the list of documents to review (built from another document, old years left in the text).

    With `pdfs`, each .docx is followed by its PDF.
    """
    seen: set[str] = set()
    counts: dict[str, int] = {}
    review: list[str] = []
    count = 0
    items = with_pdf(results) if pdfs else ((*item, b"") for item in results)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as archive:
        for job, title, content, document_pdf in items:
            stem = entry_stem(job.folder, title, seen, counts)
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
