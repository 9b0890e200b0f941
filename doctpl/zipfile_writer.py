"""A minimal ZIP writer that reuses members compressed once: the static parts of a .docx.

Python's zipfile compresses every member on every write; a .docx template carries hundreds of
kilobytes of styles that never change, so the engine compresses them once per process and
writes only the rendered parts per document. Timestamps are fixed, so the bytes are deterministic.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

_DOS_TIME, _DOS_DATE = 0, (0 << 9) | (1 << 5) | 1  # 1980-01-01 00:00:00
_VERSION = 20
_DEFLATED = 8
_UNIX_FILE = 0o100644 << 16


@dataclass(frozen=True)
class Member:
    """One archive member, already compressed."""

    name: bytes
    crc: int
    size: int
    data: bytes


def deflate(name: str, content: bytes, level: int = 6) -> Member:
    """Compress one member (raw DEFLATE, as ZIP stores it)."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    data = compressor.compress(content) + compressor.flush()
    return Member(name.encode("utf-8"), zlib.crc32(content), len(content), data)


def write(members: list[Member]) -> bytes:
    """Return the ZIP archive of `members`, in order."""
    chunks: list[bytes] = []
    directory: list[bytes] = []
    offset = 0
    for member in members:
        header = struct.pack("<IHHHHHIIIHH", 0x04034B50, _VERSION, 0, _DEFLATED, _DOS_TIME, _DOS_DATE,
                             member.crc, len(member.data), member.size, len(member.name), 0)
        chunks += [header, member.name, member.data]
        directory.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, (3 << 8) | _VERSION, _VERSION, 0, _DEFLATED,
                                     _DOS_TIME, _DOS_DATE, member.crc, len(member.data), member.size,
                                     len(member.name), 0, 0, 0, 0, _UNIX_FILE, offset) + member.name)
        offset += len(header) + len(member.name) + len(member.data)
    central = b"".join(directory)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), offset, 0)
    return b"".join(chunks) + central + end
