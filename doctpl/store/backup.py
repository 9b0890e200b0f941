"""Backup and restore: every table as JSON lines in one .tar.gz, portable between SQLite and PostgreSQL.

Binary columns (the issued files of records, table ban_hanh) travel as base64.

A backup records the schema revision; a restore brings an empty database to that revision, loads
the rows in foreign-key order, and moves PostgreSQL's id sequences past them. Files kept beside
the database (the instance folder's secret key, for one) are added by path and put back as they were.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import tarfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from alembic.migration import MigrationContext
from sqlalchemy import Date, DateTime, LargeBinary, func, insert, inspect, select, text, update

from doctpl.errors import BadInput
from doctpl.store.db import Store
from doctpl.store.models import Base

MANIFEST = "sao-luu.json"
FORMAT = 1


def _json(value: Any) -> Any:
    """Return a column's value as JSON holds it: dates as ISO strings, bytes (issued files) as base64."""
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


def _revision(store: Store) -> str:
    with store.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision() or ""


def backup(store: Store, target: io.BufferedIOBase, files: Iterable[Path] = ()) -> dict[str, int]:
    """Write every row of every table (and `files`) to `target` as a .tar.gz; return the row count per table."""
    counts: dict[str, int] = {}
    with tarfile.open(fileobj=target, mode="w:gz") as archive:
        with store.engine.connect() as connection:
            for table in Base.metadata.sorted_tables:
                lines = [json.dumps({key: _json(value) for key, value in row._mapping.items()}, ensure_ascii=False)
                         for row in connection.execute(select(table))]
                counts[table.name] = len(lines)
                _add(archive, f"bang/{table.name}.jsonl", ("\n".join(lines) + "\n" if lines else "").encode())
        kept = []
        for path in files:
            if path.is_file():
                archive.add(str(path), arcname=f"tep/{path.name}")
                kept.append(path.name)
        manifest = {"dinh_dang": FORMAT, "phien_ban_csdl": _revision(store), "luc": dt.datetime.now().isoformat(),
                    "so_dong": counts, "tep": kept}
        _add(archive, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
    return counts


def _add(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode = len(content), 0o600
    archive.addfile(info, io.BytesIO(content))


def _typed(table: Any, row: dict[str, Any]) -> dict[str, Any]:
    """Turn the ISO strings of date and time columns back into dates, the base64 of binary columns into bytes."""
    out = dict(row)
    for column in table.columns:
        value = out.get(column.name)
        if isinstance(value, str) and isinstance(column.type, DateTime):
            out[column.name] = dt.datetime.fromisoformat(value)
        elif isinstance(value, str) and isinstance(column.type, Date):
            out[column.name] = dt.date.fromisoformat(value)
        elif isinstance(value, str) and isinstance(column.type, LargeBinary):
            out[column.name] = base64.b64decode(value)
    return out


def restore(store: Store, source: io.BufferedIOBase, files_to: Path | None = None) -> dict[str, int]:
    """Load a backup into an empty database (refused otherwise); put its files into `files_to`."""
    try:
        archive = tarfile.open(fileobj=source, mode="r:gz")
    except tarfile.TarError as exc:
        raise BadInput("Tệp sao lưu không đọc được (cần tệp .tar.gz do «doctpl backup» tạo).") from exc
    with archive:
        try:
            manifest = json.loads(archive.extractfile(MANIFEST).read())  # type: ignore[union-attr]
        except (KeyError, AttributeError, json.JSONDecodeError) as exc:
            raise BadInput("Tệp sao lưu thiếu phần mô tả sao-luu.json.") from exc
        if manifest.get("dinh_dang") != FORMAT:
            raise BadInput("Tệp sao lưu thuộc định dạng khác, không khôi phục được.")
        store.upgrade(manifest["phien_ban_csdl"] or "head")
        counts: dict[str, int] = {}
        with store.engine.begin() as connection:
            present = set(inspect(connection).get_table_names())  # a backup of an older revision has fewer tables
            tables = [table for table in Base.metadata.sorted_tables if table.name in present]
            for table in tables:
                if connection.execute(select(func.count()).select_from(table)).scalar():
                    raise BadInput(f"Cơ sở dữ liệu đích đã có dữ liệu (bảng {table.name}); chỉ khôi phục vào "
                                   "cơ sở dữ liệu trống.")
            for table in tables:
                member = archive.extractfile(f"bang/{table.name}.jsonl")
                rows = [_typed(table, json.loads(line)) for line in member.read().decode().splitlines() if line] \
                    if member else []
                # A row may point at a later row of its own table (a successor, the record it was rolled
                # from): those columns are filled in a second pass.
                own = [c.name for c in table.columns if any(fk.column.table is table for fk in c.foreign_keys)]
                if rows:
                    connection.execute(insert(table), [{**row, **dict.fromkeys(own)} for row in rows])
                for name in own:
                    for row in rows:
                        if row.get(name) is not None:
                            connection.execute(update(table).where(table.c.id == row["id"]).values({name: row[name]}))
                counts[table.name] = len(rows)
            if connection.dialect.name == "postgresql":
                for table in tables:
                    key = table.columns.get("id")
                    if key is not None and key.autoincrement is not False and counts[table.name]:
                        connection.execute(text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                            f"(SELECT MAX(id) FROM {table.name}))"))
        store.upgrade()
        if files_to is not None:
            files_to.mkdir(mode=0o700, parents=True, exist_ok=True)
            for name in manifest.get("tep", []):
                member = archive.extractfile(f"tep/{Path(name).name}")
                if member is not None:
                    target = files_to / Path(name).name
                    target.write_bytes(member.read())
                    target.chmod(0o600)
    return counts
