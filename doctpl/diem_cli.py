"""Command line for the bảng điểm: a unit's self-score sheet (diem mau) and reading it back (diem nhap)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from doctpl.errors import DoctplError


def _unit(text: str) -> int | str:
    """Return a unit given as its number in the list (1, 2, …) as an index, a name as it is."""
    return int(text) - 1 if text.isdigit() else text


def _load(path: Path) -> Any:
    from doctpl.cli import read_json  # here, not at the top: doctpl.cli registers this module at its end

    return read_json(path)


def _fail(error: DoctplError) -> None:
    from doctpl.cli import _fail as fail

    fail(error)


@click.group("diem")
def diem() -> None:
    """Bảng điểm: mẫu tự chấm (.xlsx) của một đơn vị và nhập lại điểm tự chấm."""


@diem.command("mau")
@click.argument("data_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("don_vi")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def mau_command(data_file: Path, don_vi: str, output: Path) -> None:
    """Tạo bảng tính tự chấm của đơn vị DON_VI (tên hoặc số thứ tự trong bảng điểm)."""
    try:
        from doctpl import scoring_xlsx  # when the command runs: the CLI's start stays light

        content = scoring_xlsx.template(_load(data_file), _unit(don_vi))
    except DoctplError as error:
        _fail(error)
        return
    output.write_bytes(content)
    click.echo(f"Đã ghi {output}")


@diem.command("nhap")
@click.argument("data_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("xlsx_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--don-vi", default=None, help="Đơn vị (tên hoặc số thứ tự); mặc định đơn vị ghi trong bảng tính.")
def nhap_command(data_file: Path, xlsx_file: Path, output: Path, don_vi: str | None) -> None:
    """Nhập điểm tự chấm từ bảng tính đơn vị đã điền vào bảng điểm, ghi ra tệp JSON mới."""
    try:
        from doctpl import scoring_xlsx

        imported = scoring_xlsx.read(_load(data_file), xlsx_file.read_bytes(), xlsx_file.name,
                                     _unit(don_vi) if don_vi else None)
    except DoctplError as error:
        _fail(error)
        return
    for warning in imported.warnings:
        click.echo(f"Lưu ý: {warning.field}: {warning.message}", err=True)
    output.write_text(json.dumps(imported.data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    name = imported.data["don_vi"][imported.unit]["ten"]
    click.echo(f"Đã nhập điểm tự chấm của {name} vào {output}")
