"""Command line: python -m doctpl kinds | schema KIND | render KIND DATA.json -o OUT.docx."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from doctpl.errors import BadInput, DoctplError
from doctpl.kind import get_kind, kinds
from doctpl.render import render
from doctpl.schema import json_schema


def _fail(error: DoctplError) -> None:
    """Print every field error as "field: message" and exit 2, as click does for usage errors."""
    for item in error.errors():
        click.echo(f"{item.field}: {item.message}" if item.field else f"Lỗi: {item.message}", err=True)
    sys.exit(2)


def read_json(path: Path) -> Any:
    """Read a data file, turning unreadable JSON into a BadInput that names the line."""
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise BadInput(f"Tệp {path.name} không phải JSON hợp lệ (dòng {exc.lineno}, cột {exc.colno}).") from exc
    except UnicodeDecodeError as exc:
        raise BadInput(f"Tệp {path.name} không phải văn bản UTF-8.") from exc


@click.group()
def main() -> None:
    """doctpl: văn bản thi đua đúng thể thức Nghị định 30/2020/NĐ-CP."""


@main.command("kinds")
def kinds_command() -> None:
    """Liệt kê các loại văn bản."""
    for kind in kinds():
        click.echo(f"{kind.id}\t{kind.title}")


@main.command("schema")
@click.argument("kind_id")
def schema_command(kind_id: str) -> None:
    """In JSON Schema dữ liệu của một loại văn bản."""
    try:
        click.echo(json.dumps(json_schema(get_kind(kind_id)), ensure_ascii=False, indent=2))
    except DoctplError as error:
        _fail(error)


@main.command("render")
@click.argument("kind_id")
@click.argument("data_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp .docx kết quả; mặc định đặt tên theo văn bản và năm.")
def render_command(kind_id: str, data_file: Path, output: Path | None) -> None:
    """Tạo văn bản .docx từ tệp dữ liệu JSON."""
    try:
        get_kind(kind_id)  # an unknown kind is reported before the data file is read
        document = render(kind_id, read_json(data_file))
    except DoctplError as error:
        _fail(error)
        return
    for warning in document.warnings:
        click.echo(f"Cảnh báo – {warning.field}: {warning.message}", err=True)
    target = output or Path(document.ascii_filename)
    # Write beside the target then rename, so a failure never leaves a half-written .docx.
    partial = target.with_name(target.name + ".part")
    partial.write_bytes(document.content)
    partial.replace(target)
    click.echo(f"Đã tạo {target}")
