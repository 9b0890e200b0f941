"""Command line: python -m doctpl kinds | schema KIND | render KIND DATA.json -o OUT.docx."""

from __future__ import annotations

import json
import os
import sys
import zipfile
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from doctpl import the_thuc
from doctpl.errors import BadInput, DoctplError
from doctpl.kind import ROOT, get_kind, kinds

if TYPE_CHECKING:  # each command imports what it uses, so that `kinds`, `schema` and `check` start fast
    from doctpl.rollover import Rolled
    from doctpl.store import carry
    from doctpl.store.db import Store


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
    from doctpl.schema import json_schema

    try:
        click.echo(json.dumps(json_schema(get_kind(kind_id)), ensure_ascii=False, indent=2))
    except DoctplError as error:
        _fail(error)


@main.command("render")
@click.argument("kind_id")
@click.argument("data_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp kết quả; mặc định đặt tên theo văn bản và năm.")
@click.option("--pdf", "as_pdf", is_flag=True, help="Tạo PDF (qua LibreOffice) thay cho .docx.")
def render_command(kind_id: str, data_file: Path, output: Path | None, as_pdf: bool) -> None:
    """Tạo văn bản .docx (hoặc PDF) từ tệp dữ liệu JSON."""
    from doctpl import pdf
    from doctpl.render import render

    try:
        get_kind(kind_id)  # an unknown kind is reported before the data file is read
        document = render(kind_id, read_json(data_file))
    except DoctplError as error:
        _fail(error)
        return
    for warning in document.warnings:
        click.echo(f"Cảnh báo – {warning.field}: {warning.message}", err=True)
    target = output or Path(document.ascii_filename).with_suffix(".pdf" if as_pdf else ".docx")
    try:
        content = pdf.to_pdf(document.content) if as_pdf else document.content
    except DoctplError as error:
        _fail(error)
        return
    # Write beside the target then rename, so a failure never leaves a half-written file.
    partial = target.with_name(target.name + ".part")
    partial.write_bytes(content)
    partial.replace(target)
    click.echo(f"Đã tạo {target}")


def _report(rolled: Rolled, prefix: str = "", *, as_json: bool = False) -> None:
    """Print what the clerk must re-enter or review, in words (stderr) or as a JSON list (stdout)."""
    items = rolled.review()
    if as_json:
        click.echo(json.dumps([asdict(item) for item in items], ensure_ascii=False, indent=2))
        return
    for item in items:
        quoted = f" «{item.text}»" if item.text else ""
        click.echo(f"{prefix}Cần xem lại – {item.label}: {item.reason}{quoted}", err=True)


@main.command("rollover")
@click.argument("data_file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--kind", "kind_id", help="Loại văn bản của tệp dữ liệu.")
@click.option("--to-year", type=int, help="Năm mới (tệp dữ liệu).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Tệp JSON kết quả.")
@click.option("--doi-nguoi-ky", is_flag=True, help="Trưởng khối năm mới đổi: để trống người ký.")
@click.option("--khoi", "khoi_id", type=int, help="Khối trong cơ sở dữ liệu.")
@click.option("--from", "from_year", type=int, help="Năm của bộ văn bản cũ (cơ sở dữ liệu).")
@click.option("--to", "to_year_db", type=int, help="Năm mới (cơ sở dữ liệu).")
@click.option("--database", envvar="DATABASE_URL", help="URL cơ sở dữ liệu; mặc định SQLite trong instance/.")
@click.option("--who", default="dòng lệnh", show_default=True, help="Tên người thực hiện, ghi vào nhật ký.")
@click.option("--json", "as_json", is_flag=True,
              help="In danh sách cần xem lại dạng JSON: [{field, label, reason, text}] với tệp dữ liệu, "
                   "từng văn bản kèm danh sách đó với --khoi.")
def rollover_command(data_file: Path | None, kind_id: str | None, to_year: int | None, output: Path | None,
                     doi_nguoi_ky: bool, khoi_id: int | None, from_year: int | None, to_year_db: int | None,
                     database: str | None, who: str, as_json: bool) -> None:
    """Dùng lại văn bản cho năm sau: một tệp dữ liệu, hoặc cả bộ văn bản của một khối."""
    from doctpl.rollover import roll
    from doctpl.store import carry

    try:
        if data_file is not None:
            if not (kind_id and to_year and output):
                raise click.UsageError("Với tệp dữ liệu cần --kind, --to-year và -o.")
            rolled = roll(get_kind(kind_id), read_json(data_file), to_year, signer={} if doi_nguoi_ky else None)
            output.write_text(json.dumps(rolled.data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            _report(rolled, as_json=as_json)
            click.echo(f"Đã tạo {output} (năm {to_year})", err=as_json)
            return
        if not (khoi_id and from_year and to_year_db):
            raise click.UsageError("Cần một tệp dữ liệu, hoặc --khoi, --from và --to.")
        store = _store(database)
        with store.session() as session:
            if not carry.khoi_set(session, khoi_id, from_year):
                raise BadInput(f"Khối số {khoi_id} không có văn bản năm {from_year}.")
            steps = carry.apply_set(session, khoi_id, from_year, to_year_db, who=who)
            _report_set(steps, to_year_db, as_json)
        store.dispose()
    except DoctplError as error:
        _fail(error)


def _report_set(steps: list[carry.Step], to_year: int, as_json: bool) -> None:
    """Print what rolling a khối's set did: each record created, found already, or refused, and what to review."""
    if as_json:
        click.echo(json.dumps([{
            "van_ban": s.source.id, "tieu_de": s.source.tieu_de, "ket_qua": s.action,
            "van_ban_moi": (s.created or s.existing).id if (s.created or s.existing) else None, "ly_do": s.problem,
            "can_xem_lai": [asdict(item) for item in s.rolled.review()] if s.rolled and s.created else []}
            for s in steps], ensure_ascii=False, indent=2))
        return
    for step in steps:
        head = f"Văn bản số {step.source.id} ({step.source.tieu_de})"
        if step.created:
            draft = " (bản nháp, còn mục cần điền)" if step.created.nhap else ""
            click.echo(f"{head} → số {step.created.id}: {step.created.tieu_de}{draft}")
            _report(step.rolled, "  ")
        elif step.existing:
            click.echo(f"{head}: đã có văn bản năm {to_year} số {step.existing.id}, không tạo thêm.")
        else:
            click.echo(f"{head}: không tạo được – {step.problem}", err=True)


def _store(database: str | None) -> Store:
    from doctpl.store.db import Store, sqlite_url

    store = Store(database or sqlite_url(ROOT / "instance"))
    store.upgrade()
    return store


@main.command("template")
@click.argument("kind_id")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def template_command(kind_id: str, output: Path) -> None:
    """Tạo bảng tính mẫu (.xlsx) để nhập dữ liệu cho một loại văn bản."""
    from doctpl import spreadsheet

    try:
        output.write_bytes(spreadsheet.blank(get_kind(kind_id)))
    except DoctplError as error:
        _fail(error)
    click.echo(f"Đã tạo {output}")


@main.command("batch")
@click.option("--kind", "kind_id", help="Loại văn bản của bảng tính.")
@click.option("--rows", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Bảng tính .xlsx hoặc .csv, hoặc tệp JSON (danh sách dữ liệu).")
@click.option("--skip-bad-rows", is_flag=True, help="Bỏ qua dòng lỗi; tệp zip kèm báo cáo lỗi.")
@click.option("--khoi", "khoi_id", type=int, help="Khối trong cơ sở dữ liệu.")
@click.option("--year", type=int, help="Năm (với --khoi).")
@click.option("--kinds", help="Các loại văn bản, cách nhau bằng dấu phẩy (với --khoi).")
@click.option("--save", is_flag=True, help="Lưu từng văn bản (với --khoi).")
@click.option("--lay-so", is_flag=True, help="Lấy số cho văn bản chưa có số (với --khoi --save).")
@click.option("--database", envvar="DATABASE_URL", help="URL cơ sở dữ liệu; mặc định SQLite trong instance/.")
@click.option("--who", default="dòng lệnh", show_default=True)
@click.option("--pdf", "with_pdf", is_flag=True, help="Kèm bản PDF của mỗi văn bản.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def batch_command(kind_id: str | None, rows: Path | None, skip_bad_rows: bool, khoi_id: int | None,
                  year: int | None, kinds: str | None, save: bool, lay_so: bool, database: str | None, who: str,
                  with_pdf: bool, output: Path) -> None:
    """Tạo hàng loạt văn bản vào một tệp zip: từ bảng tính, hoặc cho mọi đơn vị của một khối."""
    from doctpl import batch, spreadsheet

    try:
        problems: list[batch.Problem] = []
        if rows is not None:
            if not kind_id:
                raise click.UsageError("Với --rows cần --kind.")
            kind = get_kind(kind_id)
            if rows.suffix.lower() == ".json":
                items = read_json(rows)
                table = [spreadsheet.Row([i + 1], item, {}) for i, item in enumerate(items)]
            else:
                table = spreadsheet.read(kind, rows.read_bytes(), rows.name)
            jobs, problems = batch.from_rows(kind, table)
            if problems and not skip_bad_rows:
                for problem in problems:
                    click.echo(f"Lỗi – {problem}", err=True)
                sys.exit(2)
        elif khoi_id and year and kinds:
            store = _store(database)
            with store.session() as session:
                jobs, problems = batch.from_registry(session, khoi_id, year, [k.strip() for k in kinds.split(",")],
                                                     who=who, save=save, lay_so=lay_so)
            for problem in problems:
                click.echo(f"Cần điền – {problem}", err=True)
            store.dispose()
        else:
            raise click.UsageError("Cần --kind và --rows, hoặc --khoi, --year và --kinds.")
    except DoctplError as error:
        _fail(error)
        return
    partial = output.with_name(output.name + ".part")
    try:
        with click.progressbar(length=len(jobs), label="Đang tạo văn bản") as bar, open(partial, "wb") as target:
            count = batch.write_zip(target, batch.render_all(jobs), problems, progress=lambda _: bar.update(1),
                                    pdfs=with_pdf)
    except DoctplError as error:
        partial.unlink(missing_ok=True)
        _fail(error)
        return
    partial.replace(output)
    skipped = f", {len(problems)} lỗi (xem {batch.REPORT})" if problems else ""
    click.echo(f"Đã tạo {output}: {count} văn bản{skipped}")


@main.command("bench")
@click.option("--pdf", "pdf_only", is_flag=True, help="Đo tốc độ tạo PDF: LibreOffice giữ ấm so với khởi động lạnh.")
def bench_command(pdf_only: bool) -> None:
    """Đo tốc độ: docxtpl thường, engine, lô 1.000 văn bản, bộ nhớ cho 10.000 văn bản (hoặc PDF)."""
    from doctpl import bench

    try:
        bench.pdf_run(click.echo) if pdf_only else bench.run(click.echo)
    except DoctplError as error:
        _fail(error)


@main.command("check")
@click.argument("docx_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--the-thuc", "profile", type=click.Choice([the_thuc.NHA_NUOC, the_thuc.DANG]), default=None,
              help="Kiểm tra theo thể thức này (nha_nuoc: Nghị định 30/2020/NĐ-CP; dang: Hướng dẫn 36 hoặc 05 "
                   "theo ngày văn bản); mặc định tự nhận biết qua tiêu đề «ĐẢNG CỘNG SẢN VIỆT NAM».")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
def check_command(docx_file: Path, profile: str | None, as_json: bool) -> None:
    """Kiểm tra thể thức một tệp .docx (văn bản nhà nước hoặc của Đảng); thoát mã 1 khi có lỗi."""
    from doctpl.check import report

    try:
        checked = report.check(docx_file.read_bytes(), docx_file.name, profile)
    except DoctplError as error:  # over a limit, or not a readable .docx: the checker says which
        _fail(error)
        return
    except (zipfile.BadZipFile, KeyError) as exc:
        _fail(BadInput(f"{docx_file.name} không phải tệp .docx đọc được ({exc})."))
        return
    if as_json:
        click.echo(json.dumps(checked.as_json(), ensure_ascii=False, indent=2))
    else:
        click.echo("\n".join(checked.lines()))
    sys.exit(1 if checked.errors else 0)


@main.command("import")
@click.argument("kind_id")
@click.argument("docx_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp JSON dữ liệu kết quả; mặc định in dữ liệu ra màn hình.")
@click.option("--json", "as_json", is_flag=True,
              help="In kết quả dạng JSON: {data, chua_xep: [{doan, noi, van_ban}], errors: [{field, message}]}.")
def import_command(kind_id: str, docx_file: Path, output: Path | None, as_json: bool) -> None:
    """Mở từ tệp Word: đọc một tệp .docx soạn tay thành dữ liệu của một loại văn bản; liệt kê các đoạn chưa xếp được."""
    from doctpl.importer import import_docx

    try:
        imported = import_docx(kind_id, docx_file.read_bytes(), docx_file.name)
    except DoctplError as error:  # an unknown kind, a file over a limit or not a readable .docx
        _fail(error)
        return
    if output is not None:
        partial = output.with_name(output.name + ".part")  # never a half-written file
        partial.write_text(json.dumps(imported.data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        partial.replace(output)
    if as_json:
        click.echo(json.dumps(imported.as_json(), ensure_ascii=False, indent=2))
    else:
        if output is None:
            click.echo(json.dumps(imported.data, ensure_ascii=False, indent=2))
        for item in imported.unplaced:
            click.echo(f"Chưa xếp được – {item.sentence()}", err=True)
        for error in imported.errors:
            click.echo(f"Cần điền – {error.field}: {error.message}", err=True)
    if output is not None:
        click.echo(f"Đã tạo {output} ({len(imported.unplaced)} đoạn chưa xếp được)", err=True)


@main.command("backup")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Tệp sao lưu .tar.gz.")
@click.option("--database", envvar="DATABASE_URL", help="URL cơ sở dữ liệu; mặc định SQLite trong instance/.")
def backup_command(output: Path, database: str | None) -> None:
    """Sao lưu toàn bộ dữ liệu (mọi bảng) và khóa bí mật của instance/ vào một tệp."""
    from doctpl.store import backup

    store = _store(database)
    partial = output.with_name(output.name + ".part")
    with open(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as target:
        counts = backup.backup(store, target, [ROOT / "instance" / "secret_key"])
    store.dispose()
    partial.replace(output)
    click.echo(f"Đã sao lưu {sum(counts.values())} dòng của {len(counts)} bảng vào {output}")


@main.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--database", envvar="DATABASE_URL", help="URL cơ sở dữ liệu trống để khôi phục vào.")
@click.option("--files-to", type=click.Path(file_okay=False, path_type=Path), default=ROOT / "instance",
              show_default=True, help="Thư mục đặt lại các tệp đã sao lưu (khóa bí mật).")
def restore_command(source: Path, database: str | None, files_to: Path) -> None:
    """Khôi phục một tệp sao lưu vào cơ sở dữ liệu trống."""
    from doctpl.store import backup
    from doctpl.store.db import Store, sqlite_url

    store = Store(database or sqlite_url(ROOT / "instance"))
    try:
        with open(source, "rb") as handle:
            counts = backup.restore(store, handle, files_to)
    except DoctplError as error:
        _fail(error)
        return
    finally:
        store.dispose()
    click.echo(f"Đã khôi phục {sum(counts.values())} dòng của {len(counts)} bảng.")


@main.group("apikey")
def apikey_group() -> None:
    """Khóa API của tài khoản."""


@apikey_group.command("create")
@click.argument("login")
@click.option("--ten", default="dòng lệnh", show_default=True, help="Tên khóa (dùng cho việc gì).")
@click.option("--database", envvar="DATABASE_URL", help="URL cơ sở dữ liệu; mặc định SQLite trong instance/.")
def apikey_create_command(login: str, ten: str, database: str | None) -> None:
    """Tạo khóa API cho tài khoản LOGIN và in ra (khóa chỉ hiện một lần)."""
    from sqlalchemy import select

    from doctpl.store import api_keys, audit
    from doctpl.store.models import NguoiDung

    store = _store(database)
    try:
        with store.session() as session:
            user = session.scalar(select(NguoiDung).where(NguoiDung.ten_dang_nhap == login.strip().lower()))
            if user is None:
                raise BadInput(f"Không có tài khoản «{login}».")
            row, key = api_keys.create(session, user, ten)
            audit.log(session, "dòng lệnh", "tao_khoa_api", chi_tiet=f"{user.ten_dang_nhap}: {row.ten}")
    except DoctplError as error:
        _fail(error)
        return
    finally:
        store.dispose()
    click.echo(key)


@main.group("db")
def db_group() -> None:
    """Cơ sở dữ liệu: tạo mới, nạp dữ liệu mẫu."""


@db_group.command("init")
@click.option("--demo", is_flag=True, help="Nạp dữ liệu mẫu (khối Đà Lạt 2021 và các khối, cụm hiện nay của Lâm Đồng).")
@click.option("--database", envvar="DATABASE_URL", help="URL cơ sở dữ liệu; mặc định SQLite trong instance/.")
def db_init_command(demo: bool, database: str | None) -> None:
    """Tạo cơ sở dữ liệu (hoặc nâng cấp cấu trúc), có thể kèm dữ liệu mẫu."""
    from doctpl.store import seed

    store = _store(database)
    with store.session() as session:
        loaded = seed.seed_demo(session) if demo else False
    store.dispose()
    if demo and not loaded:
        click.echo("Cơ sở dữ liệu đã có khối: không nạp dữ liệu mẫu.", err=True)
    click.echo(f"Cơ sở dữ liệu sẵn sàng: {_safe_url(store.url)}" + (", đã nạp kèm dữ liệu mẫu." if loaded else "."))


def _safe_url(url: str) -> str:
    """Return the URL without its password, to print."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@main.group("registry")
def registry_group() -> None:
    """Danh mục khối, cụm và đơn vị: xuất ra và nhập từ tệp JSON."""


@registry_group.command("export")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--database", envvar="DATABASE_URL", help="URL cơ sở dữ liệu; mặc định SQLite trong instance/.")
def registry_export_command(output: Path, database: str | None) -> None:
    """Xuất toàn bộ danh mục (kèm ngày hiệu lực của từng tên, người đứng đầu, thành viên)."""
    from doctpl.store import registry_file

    store = _store(database)
    with store.session() as session:
        document = registry_file.export(session)
    store.dispose()
    output.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    click.echo(f"Đã xuất {len(document['khoi'])} khối, cụm vào {output}")


@registry_group.command("import")
@click.argument("registry_file_path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--database", envvar="DATABASE_URL", help="URL cơ sở dữ liệu; mặc định SQLite trong instance/.")
def registry_import_command(registry_file_path: Path, database: str | None) -> None:
    """Nhập danh mục từ tệp JSON; nhập lại cùng tệp không thay đổi gì."""
    from doctpl.store import registry_file

    try:
        document = read_json(registry_file_path)
        store = _store(database)
        with store.session() as session:
            counts = registry_file.import_file(session, document)
        store.dispose()
    except DoctplError as error:
        _fail(error)
        return
    click.echo(f"Đã nhập {counts['khoi']} khối, cụm và {counts['don_vi']} đơn vị, cơ quan.")


@main.command("worker")
@click.option("--redis-url", envvar="DOCTPL_REDIS_URL", required=True,
              help="Redis của hàng đợi, như máy chủ web (DOCTPL_REDIS_URL), ví dụ redis://127.0.0.1:6379/0.")
@click.option("--queue", envvar="DOCTPL_JOB_QUEUE", default="doctpl", show_default=True, help="Tên hàng đợi.")
@click.option("--folder", envvar="DOCTPL_JOB_FOLDER", type=click.Path(file_okay=False, path_type=Path),
              default=ROOT / "instance" / "ket-qua", show_default=True,
              help="Thư mục kết quả, chung với máy chủ web (thư mục mạng khi nhiều máy).")
@click.option("--database", envvar="DATABASE_URL", help="URL cơ sở dữ liệu; mặc định SQLite trong instance/.")
@click.option("--heartbeat", type=click.IntRange(1), default=10, show_default=True,
              help="Số giây giữa hai lần báo đang chạy; sau ba lần thiếu, công việc bị coi là hỏng.")
@click.option("--sweep-every", type=click.IntRange(1), default=600, show_default=True,
              help="Số giây giữa hai lần dọn kết quả hết hạn.")
def worker_command(redis_url: str, queue: str, folder: Path, database: str | None, heartbeat: int,
                   sweep_every: int) -> None:
    """Chạy tiến trình xử lý công việc (lô văn bản, PDF, dùng lại cho năm sau) từ hàng đợi Redis."""
    from doctpl import jobs
    from doctpl.store.db import sqlite_url

    try:
        jobs.run_worker(jobs.Settings(folder=folder, redis_url=redis_url, queue=queue,
                                      database_url=database or sqlite_url(ROOT / "instance"),
                                      sweep_every=sweep_every), heartbeat=heartbeat)
    except DoctplError as error:
        _fail(error)


from doctpl.diem_cli import diem  # noqa: E402, I001  (python -m doctpl diem mau | nhap)
main.add_command(diem)
