"""The declared limits of the work one request, upload, batch or document may ask of the server.

Every limit is a setting: its default is in `Limits`, an administrator overrides it in
instance/config.py or with a DOCTPL_<NAME> environment variable (DOCTPL_MAX_UPLOAD_MB=20), and app.py
hands the Flask config to `configure`; the CLI and batch workers read the environment. Each refusal is a
Vietnamese message that says what is too large in a clerk's words and names the setting that allows more.

A render cannot be killed from another thread, so its cost is bounded by its input (blocks and characters
of one document, counted once at validation), and a `Deadline` stops it from inside: every list the
template loops over checks the clock at each item, so a render past MAX_RENDER_SECONDS ends at the next
item with RenderTooSlow instead of holding its thread.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import io
import os
import time
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from functools import cache
from itertools import chain
from typing import Any

from doctpl.errors import BadInput, DoctplError, FieldError, ValidationError
from doctpl.fields import Choice, Field, Text, walk
from doctpl.vn.numbers import group_digits

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """The limits in force; each field is the setting of the same name in capitals (MAX_UPLOAD_MB)."""

    max_request_mb: int = 12  # one HTTP request body (Flask MAX_CONTENT_LENGTH)
    max_upload_mb: int = 10  # one uploaded file: a .docx to check, a spreadsheet for a batch
    max_zip_mb: int = 50  # the uncompressed content of an uploaded .docx or .xlsx
    max_zip_ratio: int = 100  # uncompressed size over compressed size of an uploaded .docx or .xlsx
    max_zip_parts: int = 1000  # the files inside an uploaded .docx or .xlsx
    max_batch_rows: int = 1000  # data rows of a batch (spreadsheet lines or JSON rows)
    max_batch_columns: int = 500  # columns of a batch spreadsheet
    max_doc_blocks: int = 3000  # blocks, list entries and lines of one document
    max_doc_chars: int = 300_000  # characters of one document
    max_check_paragraphs: int = 10_000  # paragraphs of a .docx the checker reads
    max_check_runs: int = 200_000  # runs (stretches of one formatting) of a .docx the checker reads
    max_issued_files: int = 20  # files of an issued document (signed scan, signed PDF) kept on one record
    max_render_seconds: float = 30.0  # one document's render
    pdf_timeout: float = 60.0  # one PDF conversion (doctpl/pdf.py)

    def settings(self) -> dict[str, int | float]:
        """Return every limit under its setting name: {"MAX_UPLOAD_MB": 10, …}."""
        return {f.name.upper(): getattr(self, f.name) for f in fields(self)}

    @property
    def request_bytes(self) -> int:
        """Return MAX_REQUEST_MB in bytes, Flask's MAX_CONTENT_LENGTH."""
        return self.max_request_mb * MB


DEFAULTS = Limits()
_current: Limits | None = None


def configure(settings: Mapping[str, Any]) -> Limits:
    """Set the limits from a mapping of settings (the Flask config); absent ones keep their defaults."""
    global _current
    changes = {}
    for f in fields(Limits):
        value = settings.get(f.name.upper())
        if value is None or value == "":
            continue
        kind = type(getattr(DEFAULTS, f.name))
        number_kind = "số nguyên dương" if kind is int else "số dương"
        wanted = f"Thiết lập {f.name.upper()} phải là một {number_kind}, không phải «{value}»."
        try:
            number = kind(value)
        except (TypeError, ValueError):
            raise ValueError(wanted) from None
        if number <= 0:
            raise ValueError(wanted)
        changes[f.name] = number
    _current = replace(DEFAULTS, **changes)
    return _current


def current() -> Limits:
    """Return the limits in force: those configured, else the defaults with the DOCTPL_* environment."""
    if _current is None:
        return configure({key[len("DOCTPL_"):]: value for key, value in os.environ.items()
                          if key.startswith("DOCTPL_")})
    return _current


class TooLarge(DoctplError):
    """An upload, a batch or a file to check is over a declared limit: 413 with the limit named."""

    status = 413


class DocumentTooLarge(ValidationError):
    """One document's data is over a declared limit: refused at validation like any other error (422)."""

    def __init__(self, message: str):
        super().__init__([FieldError("", message)])


class UnreadableFile(BadInput, zipfile.BadZipFile):
    """An upload that is not the .docx or .xlsx it claims to be; also a BadZipFile, for callers that catch that."""


class RenderTooSlow(DoctplError):
    """A render ran past MAX_RENDER_SECONDS and was stopped."""

    status = 422


def _mb(size: int) -> str:
    return f"{size / MB:.1f}".replace(".", ",")


def check_upload(size: int, name: str) -> None:
    """Refuse an uploaded file larger than MAX_UPLOAD_MB."""
    limit = current().max_upload_mb
    if size > limit * MB:
        raise TooLarge(f"Tệp «{name}» nặng {_mb(size)} MB, vượt quá giới hạn {limit} MB của một tệp tải lên "
                       f"(thiết lập MAX_UPLOAD_MB).")


def open_zip(content: bytes, name: str, what: str) -> zipfile.ZipFile:
    """Open an uploaded .docx or .xlsx (`what`) after checking its size, its parts and what it unpacks to.

    The sizes are those the archive declares; zipfile refuses to unpack a member beyond its declared size.
    """
    check_upload(len(content), name)
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise UnreadableFile(f"«{name}» không phải tệp {what} đọc được: tệp hỏng hoặc không phải {what}.") from exc
    limits = current()
    if len(entries) > limits.max_zip_parts:
        raise TooLarge(f"Tệp «{name}» chứa {group_digits(len(entries))} tệp con, vượt quá giới hạn "
                       f"{group_digits(limits.max_zip_parts)} tệp con của một tệp {what} (thiết lập MAX_ZIP_PARTS).")
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > limits.max_zip_mb * MB:
        raise TooLarge(f"Tệp «{name}» khi giải nén chiếm {_mb(unpacked)} MB, vượt quá giới hạn {limits.max_zip_mb} MB "
                       f"nội dung của một tệp {what} (thiết lập MAX_ZIP_MB).")
    ratio = unpacked / max(1, sum(entry.compress_size for entry in entries))
    if ratio > limits.max_zip_ratio:
        raise TooLarge(f"Tệp «{name}» giải nén ra gấp {ratio:.0f} lần dung lượng của nó, vượt quá giới hạn "
                       f"{limits.max_zip_ratio} lần (thiết lập MAX_ZIP_RATIO): tệp bất thường, có thể là «bom nén».")
    return archive


def check_rows(count: int) -> None:
    """Refuse a batch of more than MAX_BATCH_ROWS rows; `count` may stop one past the limit."""
    limit = current().max_batch_rows
    if count > limit:
        raise TooLarge(f"Lô văn bản có hơn {group_digits(limit)} dòng dữ liệu, quá giới hạn của một lô "
                       f"(thiết lập MAX_BATCH_ROWS); hãy chia thành nhiều lô.")


def check_columns(count: int) -> None:
    """Refuse a batch spreadsheet of more than MAX_BATCH_COLUMNS columns."""
    limit = current().max_batch_columns
    if count > limit:
        raise TooLarge(f"Bảng tính có {group_digits(count)} cột, vượt quá giới hạn {group_digits(limit)} cột "
                       f"của một lô (thiết lập MAX_BATCH_COLUMNS).")


def text_defaults(declaration: Sequence[Field]) -> frozenset[str]:
    """Return the default texts of a declaration, which conversion fills in and check_document does not count."""
    return frozenset(f.default for _, f in walk(declaration) if isinstance(f, (Text, Choice)) and f.default)


def check_document(raw: Any, defaults: frozenset[str]) -> None:
    """Refuse one document's data over MAX_DOC_BLOCKS or MAX_DOC_CHARS, raw or converted, before it is converted.

    Blocks are the entries of every list (blocks of the body, rows of a table, recipients, units) and the
    lines of every text after its first, each a paragraph of the document. Characters are those of every
    text except the declaration's `defaults` (text_defaults), which conversion fills in, so converted data
    counts as its raw input did. Counting stops past a limit.
    """
    limits = current()
    max_blocks, max_chars = limits.max_doc_blocks, limits.max_doc_chars
    blocks = chars = 0
    stack = [raw]
    while stack:
        node = stack.pop()
        exact = type(node)  # the exact types first: the ABC check is slow
        if exact is dict or (exact is not str and exact is not list and isinstance(node, Mapping)):
            stack.extend(node.values())
            continue
        if exact is str or isinstance(node, str):
            if node in defaults:
                continue
            chars += len(node)
            blocks += node.count("\n")
        elif exact is list or isinstance(node, list):
            blocks += len(node)
            stack.extend(node)
        else:
            continue
        if blocks > max_blocks:
            raise DocumentTooLarge(f"Văn bản có hơn {group_digits(max_blocks)} đoạn, mục và dòng, quá giới hạn "
                                   f"của một văn bản (thiết lập MAX_DOC_BLOCKS); hãy tách thành nhiều văn bản.")
        if chars > max_chars:
            raise DocumentTooLarge(f"Văn bản dài hơn {group_digits(max_chars)} ký tự, quá giới hạn của một văn bản "
                                   f"(thiết lập MAX_DOC_CHARS); hãy tách thành nhiều văn bản.")


def check_paragraphs(paragraphs: int, runs: int, name: str) -> None:
    """Refuse a .docx to check with more than MAX_CHECK_PARAGRAPHS paragraphs or MAX_CHECK_RUNS runs."""
    limits = current()
    if paragraphs > limits.max_check_paragraphs:
        raise TooLarge(f"Tệp «{name}» có {group_digits(paragraphs)} đoạn văn, vượt quá giới hạn "
                       f"{group_digits(limits.max_check_paragraphs)} đoạn của một văn bản cần kiểm tra "
                       f"(thiết lập MAX_CHECK_PARAGRAPHS).")
    if runs > limits.max_check_runs:
        raise TooLarge(f"Tệp «{name}» có {group_digits(runs)} đoạn chữ định dạng riêng (run), vượt quá giới hạn "
                       f"{group_digits(limits.max_check_runs)} của một văn bản cần kiểm tra "
                       f"(thiết lập MAX_CHECK_RUNS).")


def check_issued_files(count: int) -> None:
    """Refuse one more issued file on a record that holds MAX_ISSUED_FILES already."""
    limit = current().max_issued_files
    if count >= limit:
        raise TooLarge(f"Văn bản đã có {group_digits(count)} tệp ban hành, bằng giới hạn {group_digits(limit)} tệp "
                       f"của một văn bản (thiết lập MAX_ISSUED_FILES); không tải thêm được.")


TIMED_RUN = 32  # items of a watched list between two looks at the clock


class _Timed(list[Any]):
    """A list whose iteration checks a deadline before every TIMED_RUN items.

    The items are handed out by C iterators, a run at a time, so a loop pays one check per run instead of
    a Python generator step per item; an item's own loops are watched lists too.
    """

    deadline: Deadline

    def __iter__(self) -> Iterator[Any]:
        return chain.from_iterable(map(self._run, range(0, len(self), TIMED_RUN)))

    def _run(self, start: int) -> list[Any]:
        self.deadline.check()
        return list.__getitem__(self, slice(start, start + TIMED_RUN))


class Deadline:
    """The time one render may take, MAX_RENDER_SECONDS from its start."""

    def __init__(self, seconds: float | None = None):
        self.seconds = seconds or current().max_render_seconds
        self.ends = time.monotonic() + self.seconds

    def check(self) -> None:
        """Raise RenderTooSlow once the time is up."""
        if time.monotonic() > self.ends:
            raise RenderTooSlow(f"Tạo văn bản mất hơn {self.seconds:g} giây, vượt quá giới hạn thời gian của một "
                                f"văn bản (thiết lập MAX_RENDER_SECONDS) nên đã dừng; hãy rút gọn nội dung.")

    def watch(self, value: Any) -> Any:
        """Return `value` with every list in it (through dicts and lists) checking this deadline as it is looped.

        A dict is copied only when it holds a list somewhere: most of a context (a body's lines) is left as it is.
        A context holds plain dicts and lists (compose builds it), so their exact types are what is looked for.
        """
        if type(value) is dict:
            out = None
            for key, item in value.items():
                if type(item) is dict or type(item) is list:
                    watched = self.watch(item)
                    if watched is not item:
                        out = dict(value) if out is None else out
                        out[key] = watched
            return value if out is None else out
        if type(value) is list:
            timed = _Timed(self.watch(item) if type(item) is dict or type(item) is list else item for item in value)
            timed.deadline = self
            return timed
        return value


@cache
def _malloc_trim() -> Any:
    """Return glibc's malloc_trim, or None where the C library has none (musl, macOS, Windows)."""
    try:
        return getattr(ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6"), "malloc_trim", None)
    except OSError:
        return None


def release_memory() -> None:
    """Give the free pages of the heap back to the system after a large job, so the process returns to its size."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
