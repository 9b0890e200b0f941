"""python -m doctpl bench: what a user waits for, measured in one run.

(a) plain docxtpl and (b) the engine, render only, on the 2021 plan; (b2) end to end for every kind
(validate, context, render) against docxtpl end to end; (f) the floor of every kind, docxtpl with no
post-processing at all (its patched parts rendered in the stock autoescaping sandbox, deflate, zip);
(c) a 1,000-row batch from an .xlsx, reading and validation included, in a fresh process; (d) the peak
memory of the whole 10,000-row CLI batch from an .xlsx, sampled from outside (PSS of the process and its
children); (e) the registry batch of a khối of 500 units on a database with 20 years of records (20,000)
against the same registry with none; (g) the «Văn bản đã lưu» and «Nhật ký» pages at 20,000 records;
(h) how long `kinds`, `schema` and `check` take. Spreadsheets are written as Excel saves them (shared
strings); the databases are temporary SQLite files, the first year's records saved through
doctpl.store.records and the other years copied from them in bulk.

The last line printed is one JSON object; the README records it with the machine it came from.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from doctpl import batch, engine, pdf, spreadsheet, zipfile_writer
from doctpl.kind import Kind, get_kind, kinds
from doctpl.parts.header import rules_of
from doctpl.render import render, render_data

KIND = "ke_hoach"
ROOT = Path(__file__).resolve().parent.parent
UNITS, YEARS, TARGET = 500, 20, 2026  # the registry batch: a khối of 500 units, 20 years of records before 2026
REGISTRY_KINDS = ["dang_ky", "bao_cao_so_ket"]  # one document per unit each: 1,000 documents
PASSWORD = "Bench-Tinh-Gio-2026"


def _median_ms(action: Callable[[], Any], repeat: int) -> float:
    action()  # warm up (imports, the first preparation)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _paired_ms(ours: Callable[[], Any], theirs: Callable[[], Any], rounds: int = 40,
               each: int = 3) -> tuple[float, float]:
    """Return the median times of two ways to the same result, measured in turns so both meet the same machine.

    Each round times `each` runs of ours and one of theirs, back to back: a shared machine's slower moments
    fall on both sides of the ratio instead of on one.
    """
    ours(), theirs()  # warm up
    mine, other = [], []
    for _ in range(rounds):
        for _ in range(each):
            start = time.perf_counter()
            ours()
            mine.append(time.perf_counter() - start)
        start = time.perf_counter()
        theirs()
        other.append(time.perf_counter() - start)
    return statistics.median(mine) * 1000, statistics.median(other) * 1000


# -- (a), (b), (b2), (f): one document ------------------------------------------------------------------------


def _plain_templates(path: Path, prepared: engine.Prepared) -> dict[str, Any]:
    """Return each rendered part of a template as docxtpl compiles it, in the stock sandbox: the floor's Jinja."""
    from docxtpl import DocxTemplate

    docx = DocxTemplate(str(path))
    docx.render_init()
    env = engine.environment()
    archive = zipfile.ZipFile(path)
    return {name: env.from_string(docx.patch_xml(docx.get_xml() if name == engine.DOCUMENT else
                                                 archive.read(name).decode("utf-8")))
            for name in prepared.parts}


def floor(kind: Kind, data: dict[str, Any]) -> Callable[[], bytes]:
    """Return the floor of one document: Jinja renders docxtpl's patched parts (stock sandbox), deflate, zip write.

    Neither line breaks nor anything else of docxtpl's post-processing is done: the least a docxtpl template costs
    rendered as docxtpl renders it. The engine goes under it by escaping in its writers instead of autoescaping
    (no Markup object per value) and by answering `x.y` on a dict without the sandbox's failed attribute probe.
    """
    context, path = kind.context(data), kind.template_path(rules_of(data))
    prepared = engine.prepared(path)
    templates = _plain_templates(path, prepared)

    def once() -> bytes:
        members = {}
        for name, part in prepared.parts.items():
            xml = templates[name].render(context).encode("utf-8")
            members[name] = zipfile_writer.deflate(name, part.prefix + xml + part.suffix, 1)
        return zipfile_writer.write([prepared.static.get(name) or members[name] for name in prepared.order])

    return once


def per_kind(echo: Callable[[str], None]) -> dict[str, dict[str, float]]:
    """Measure every kind's first example: docxtpl and doctpl end to end, the engine alone and its floor."""
    out = {}
    for kind in kinds():
        raw = kind.example()
        data = kind.validate(raw)
        path = kind.template_path(rules_of(data))
        ours, theirs = _paired_ms(lambda kind=kind, raw=raw: render_data(kind, kind.validate(raw)),
                                  lambda kind=kind, raw=raw, path=path: engine.render_docxtpl(
                                      path, kind.context(kind.validate(raw))))
        context = kind.context(data)
        prepared = engine.prepared(path)
        alone, least = _paired_ms(lambda prepared=prepared, context=context: prepared.render(context),
                                  floor(kind, data), rounds=100, each=1)
        out[kind.id] = {"e2e_ms": ours, "docxtpl_e2e_ms": theirs, "engine_ms": alone, "floor_ms": least}
        echo(f"     {kind.id:17} đầu-cuối {ours:6.2f} ms, docxtpl {theirs:7.2f} ms (gấp {theirs / ours:5.1f}); "
             f"engine {alone:6.3f} ms, sàn {least:6.3f} ms (engine/sàn {alone / least:4.2f})")
    return out


# -- spreadsheets, as Excel saves them --------------------------------------------------------------------------


def spreadsheet_xlsx(kind_id: str, count: int) -> bytes:
    """Return the kind's blank .xlsx filled with `count` rows as Excel saves it: shared strings, each row its own
    number (Số) and its own trích yếu, the example's values elsewhere."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    blank = spreadsheet.blank(get_kind(kind_id))
    filled = load_workbook(io.BytesIO(blank))[spreadsheet.SHEET]
    header = [cell.value for cell in filled[1]]
    sample = [cell.value for cell in filled[2]]
    archive = zipfile.ZipFile(io.BytesIO(blank))
    sheet = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    data_start = sheet.index("<sheetData>") + len("<sheetData>")
    data_end = sheet.index("</sheetData>")
    strings: dict[str, int] = {}

    def shared(text: str) -> int:
        return strings.setdefault(text, len(strings))

    row = "".join(f'<c r="{get_column_letter(i)}1" t="s"><v>{shared(text)}</v></c>' for i, text in enumerate(header, 1))
    rows = [f'<row r="1">{row}</row>']
    for number in range(2, count + 2):
        cells = []
        for column, (title, value) in enumerate(zip(header, sample, strict=True), 1):
            ref, path = f"{get_column_letter(column)}{number}", str(title).rsplit("[", 1)[-1].rstrip("]")
            if path == "so":
                cells.append(f'<c r="{ref}"><v>{number % 99 + 1}</v></c>')
            elif path == "trich_yeu" and isinstance(value, str):
                cells.append(f'<c r="{ref}" t="s"><v>{shared(f"{value} (dòng {number})")}</v></c>')
            elif isinstance(value, bool) or value in (None, ""):
                continue
            elif isinstance(value, (int, float)):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="s"><v>{shared(str(value))}</v></c>')
        rows.append(f'<row r="{number}">{"".join(cells)}</row>')
    table = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" '
             f'uniqueCount="{len(strings)}">' + "".join(f'<si><t xml:space="preserve">{escape(text)}</t></si>'
                                                        for text in strings) + "</sst>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in archive.infolist():
            content = archive.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = (sheet[:data_start] + "".join(rows) + sheet[data_end:]).encode("utf-8")
            elif item.filename == "[Content_Types].xml":
                content = content.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType='
                                          b'"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings'
                                          b'+xml"/></Types>')
            elif item.filename == "xl/_rels/workbook.xml.rels":
                content = content.replace(b"</Relationships>", b'<Relationship Id="rIdSst" Type="http://schemas.'
                                          b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
                                          b'Target="sharedStrings.xml"/></Relationships>')
            target.writestr(item.filename, content)
        target.writestr("xl/sharedStrings.xml", table.encode("utf-8"))
    return out.getvalue()


def rows_batch(path: str) -> dict[str, float]:
    """Run a batch from a spreadsheet as the CLI does (read, validate, render, zip); return its phases' seconds.

    Called in a fresh process: nothing is prepared or imported beforehand but the modules themselves.
    """
    kind = get_kind(KIND)
    content = Path(path).read_bytes()
    start = time.perf_counter()
    table = spreadsheet.read(kind, content, Path(path).name)
    jobs, problems = batch.from_rows(kind, table)
    checked = time.perf_counter()
    with tempfile.TemporaryFile() as target:
        count = batch.write_zip(target, batch.render_all(jobs), problems)
    end = time.perf_counter()
    assert count == len(table) and not problems, (count, problems[:3])
    return {"seconds": end - start, "read_validate_s": checked - start, "render_zip_s": end - checked}


def _child(code: str, *args: str, env: dict[str, str] | None = None) -> Any:
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})
    return json.loads(result.stdout.strip().splitlines()[-1])


def batch_rows_seconds(count: int = 1000) -> dict[str, float]:
    """Return the phases of a `count`-row batch from an .xlsx, in a fresh process, the fastest of two runs."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "lo.xlsx"
        path.write_bytes(spreadsheet_xlsx(KIND, count))
        code = "import json, sys; from doctpl import bench; print(json.dumps(bench.rows_batch(sys.argv[1])))"
        env = {"DOCTPL_MAX_BATCH_ROWS": str(max(count, 1000))}
        return min((_child(code, str(path), env=env) for _ in range(2)), key=lambda run: run["seconds"])


# -- (d): memory of the whole job, from outside -----------------------------------------------------------------


def _tree(root: int) -> list[int]:
    """Return `root` and every process below it."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    fields = handle.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            parents.setdefault(int(fields[1]), []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(parents.get(pid, []))
    return out


def _pss_kib(pid: int) -> int:
    """Return a process's proportional set size in KiB (its private pages and its share of the shared ones)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        return 0
    return 0


def job_pss_mb(count: int = 10_000) -> dict[str, float]:
    """Run `python -m doctpl batch --rows` on a `count`-row .xlsx and sample the PSS of its whole process tree
    (the CLI and its workers) every 20 ms from this process; return the peak in MB (10⁶ bytes) and the seconds."""
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "lo.xlsx", Path(folder) / "lo.zip"
        source.write_bytes(spreadsheet_xlsx(KIND, count))
        env = {**os.environ, "PYTHONPATH": str(ROOT), "DOCTPL_MAX_BATCH_ROWS": str(count)}
        start = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "doctpl", "batch", "--kind", KIND, "--rows", str(source),
                                    "-o", str(target)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE)
        peak = 0
        while process.poll() is None:
            peak = max(peak, sum(_pss_kib(pid) for pid in _tree(process.pid)))
            time.sleep(0.02)
        seconds = time.perf_counter() - start
        if process.returncode:
            raise RuntimeError(f"the batch failed: {process.stderr.read().decode()[-2000:] if process.stderr else ''}")
        with zipfile.ZipFile(target) as archive:
            produced = len(archive.namelist())
    assert produced == count, produced
    return {"mb": peak * 1024 / 1e6, "seconds": seconds}


# -- (e), (g): a database with 20 years of records -------------------------------------------------------------


def _registry(units: int) -> dict[str, Any]:
    """Return a registry file: one khối of `units` members since 2000, its roles every year up to TARGET."""
    since = "2000-01-01"
    members = [{"ma": f"DV{i:04d}", "ky_hieu": f"BDV{i}", "tu_ngay": since,
                "ten": [{"ten": f"Ban số {i} Tỉnh ủy", "tu_ngay": since}],
                "thu_truong": [{"ho_ten": f"Nguyễn Văn {i}", "chuc_vu": "Trưởng Ban", "tu_ngay": since}],
                "thanh_vien": [{"tu_ngay": since}]} for i in range(1, units + 1)]
    return {"khoi": [{"ma": "KTD-DO", "ten": "Khối thi đua số 9", "loai": "khoi", "ky_hieu": "KTĐ9", "tu_ngay": since,
                      "chu_quan": [{"ten": "Tỉnh ủy Lâm Đồng", "tu_ngay": since}],
                      "dia_danh": [{"ten": "Lâm Đồng", "tu_ngay": since}], "don_vi": members,
                      "vai_tro": [{"nam": year, "truong_khoi": "DV0001", "pho_khoi": ["DV0002"][:units - 1]}
                                  for year in range(TARGET - YEARS, TARGET + 1)]}], "co_quan": []}


def registry_databases(folder: Path, units: int = UNITS) -> tuple[str, str, int]:
    """Build two SQLite databases with the same registry: one with no record, one with 20 years of them.

    In the second, one record of each kind is saved for the first year through doctpl.store.records, then
    copied to every unit and every year in bulk (its year and dates moved), with an audit line each.
    """
    from sqlalchemy import insert, select

    from doctpl.store import records, registry_file
    from doctpl.store.db import Store
    from doctpl.store.models import DonVi, Khoi, NhatKy, PhienBan, VanBan

    urls = []
    for name in ("trong", "20-nam"):
        url = f"sqlite:///{folder / f'{name}.sqlite3'}"
        store = Store(url)
        store.upgrade()
        with store.session() as session:
            registry_file.import_file(session, _registry(units))
            khoi_id = session.scalar(select(Khoi.id))
            if name == "20-nam":
                unit_ids = list(session.scalars(select(DonVi.id).order_by(DonVi.id)))
                first = TARGET - YEARS
                for kind_id in REGISTRY_KINDS:
                    jobs, _ = batch.from_registry(session, khoi_id, first, [kind_id], who="bench")
                    saved = records.save(session, kind_id, jobs[0].raw, who="bench", khoi_id=khoi_id,
                                         don_vi_id=unit_ids[0])
                    version = records.version(session, saved.id)
                    now = dt.datetime(first, 1, 2)
                    for year in range(first, TARGET):
                        text = version.du_lieu.replace(f'"nam":{first}', f'"nam":{year}').replace(f'"{first}-',
                                                                                                  f'"{year}-')
                        rows = [{"kind": kind_id, "nam": year, "khoi_id": khoi_id, "don_vi_id": unit,
                                 "tieu_de": saved.tieu_de.replace(str(first), str(year)), "phien_ban": 1,
                                 "nhap": False, "xem_lai": "", "xoa_boi": "", "nguoi_tao": "bench",
                                 "tao_luc": now, "sua_luc": now}
                                for unit in unit_ids if (year, unit) != (first, unit_ids[0])]
                        ids = session.scalars(insert(VanBan).returning(VanBan.id), rows).all()
                        session.execute(insert(PhienBan), [
                            {"van_ban_id": record_id, "phien_ban": 1, "du_lieu": text, "ma_mau": version.ma_mau,
                             "ma_du_lieu": version.ma_du_lieu, "nguoi_luu": "bench", "luu_luc": now}
                            for record_id in ids])
                        session.execute(insert(NhatKy), [
                            {"luc": now, "nguoi": f"Văn thư {record_id % 50}", "hanh_dong": "luu", "kind": kind_id,
                             "van_ban_id": record_id, "phien_ban": 1, "ma_mau": version.ma_mau,
                             "ma_du_lieu": version.ma_du_lieu, "chi_tiet": saved.tieu_de} for record_id in ids])
        store.dispose()
        urls.append(url)
    return urls[0], urls[1], khoi_id


def registry_batch_seconds(url: str, khoi_id: int) -> float:
    """Return the wall time of the registry batch of TARGET (every unit, REGISTRY_KINDS) into a zip."""
    from doctpl.store.db import Store

    store = Store(url)
    try:
        start = time.perf_counter()
        with store.session() as session:
            jobs, problems = batch.from_registry(session, khoi_id, TARGET, REGISTRY_KINDS, who="bench")
        with tempfile.TemporaryFile() as target:
            count = batch.write_zip(target, batch.render_all(jobs), problems)
        seconds = time.perf_counter() - start
    finally:
        store.dispose()
    assert count == UNITS * len(REGISTRY_KINDS), (count, problems[:3])
    return seconds


def record_count(url: str) -> int:
    """Return how many records a database holds."""
    from sqlalchemy import func, select

    from doctpl.store.db import Store
    from doctpl.store.models import VanBan

    store = Store(url)
    with store.session() as session:
        count = session.scalar(select(func.count()).select_from(VanBan)) or 0
    store.dispose()
    return count


def page_ms(url: str, paths: list[str], repeat: int = 10) -> dict[str, float]:
    """Return the median server time of each page, in ms, for an administrator of the app on `url`."""
    from app import create_app
    from doctpl.store import users

    with tempfile.TemporaryDirectory() as folder:
        application = create_app({"SECRET_KEY": "bench", "SEED_DEMO": False, "DATABASE_URL": url,
                                  "JOB_FOLDER": folder, "WTF_CSRF_ENABLED": False})
        with application.extensions["doctpl.store"].session() as session:
            users.create(session, {"ten_dang_nhap": "dotocdo", "ho_ten": "Đo tốc độ", "mat_khau": PASSWORD},
                         role="quan_tri")
        client = application.test_client()
        signed = client.post("/dang-nhap", data={"ten_dang_nhap": "dotocdo", "mat_khau": PASSWORD})
        assert signed.status_code == 303, signed.status_code
        out = {}
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200 and b"<table" in response.data, (path, response.status_code)
            out[path] = _median_ms(lambda path=path: client.get(path), repeat)
        application.extensions["doctpl.store"].dispose()
    return out


def start_seconds(*argv: str) -> float:
    """Return how long `python -m doctpl ARGV` takes from start to exit, the fastest of three runs."""
    times = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "doctpl", *argv], cwd=ROOT, capture_output=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
        times.append(time.perf_counter() - start)
    return min(times)


# -- the run --------------------------------------------------------------------------------------------------


def _machine() -> str:
    model = ""
    try:
        model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                      if line.startswith("model name")), "")
    except OSError:
        pass
    return f"{os.cpu_count()} lõi, {model or 'CPU không rõ'}"


def run(echo: Callable[[str], None]) -> dict[str, Any]:
    """Measure and report; return the figures."""
    echo(f"Máy: {_machine()}")
    kind = get_kind(KIND)
    data = kind.validate(kind.example())
    context, template = kind.context(data), kind.template_path(rules_of(data))
    naive = _median_ms(lambda: engine.render_docxtpl(template, context), 30)
    echo(f"(a) docxtpl, một DocxTemplate mới mỗi văn bản: {naive:.2f} ms/văn bản (trung vị 30 lần)")
    prepared = engine.prepared(template)
    fast = _median_ms(lambda: prepared.render(context), 300)
    echo(f"(b) engine doctpl, một văn bản: {fast:.3f} ms (trung vị 300 lần) — nhanh gấp {naive / fast:.1f} lần")
    echo("(b2, f) từng loại văn bản: đầu-cuối (kiểm tra + ngữ cảnh + tạo) so với docxtpl đầu-cuối; engine so với sàn "
         "(Jinja + nén + ghi zip)")
    each = per_kind(echo)
    e2e_min = min(item["docxtpl_e2e_ms"] / item["e2e_ms"] for item in each.values())
    over_floor = max(item["engine_ms"] / item["floor_ms"] for item in each.values())
    echo(f"     nhỏ nhất đầu-cuối: gấp {e2e_min:.1f} lần; engine/sàn lớn nhất: {over_floor:.2f}")
    rows = batch_rows_seconds(1000)
    echo(f"(c) lô 1.000 dòng từ bảng tính .xlsx, gồm đọc và kiểm tra, tiến trình mới: {rows['seconds']:.2f} s "
         f"(đọc + kiểm tra {rows['read_validate_s']:.2f} s, tạo + zip {rows['render_zip_s']:.2f} s) trên "
         f"{os.cpu_count()} lõi")
    job = job_pss_mb(10_000)
    echo(f"(d) PSS lớn nhất của cả lô 10.000 dòng .xlsx (python -m doctpl batch và các tiến trình con, đo từ "
         f"ngoài): {job['mb']:.0f} MB, {job['seconds']:.1f} s")
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        empty, history, khoi_id = registry_databases(Path(folder))
        built = time.perf_counter() - start
        count = record_count(history)
        runs = {empty: [], history: []}
        for _ in range(2):
            for url in (empty, history):
                runs[url].append(registry_batch_seconds(url, khoi_id))
        empty_s, history_s = min(runs[empty]), min(runs[history])
        echo(f"(e) lô theo danh mục, khối {UNITS} đơn vị, {UNITS * len(REGISTRY_KINDS)} văn bản: cơ sở dữ liệu "
             f"trống {empty_s:.2f} s, có {count} bản lưu của {YEARS} năm {history_s:.2f} s — gấp "
             f"{history_s / empty_s:.2f} lần (dựng dữ liệu {built:.1f} s)")
        pages = page_ms(history, ["/van-ban/", f"/van-ban/?khoi={khoi_id}&nam={TARGET - 5}&loai=dang_ky",
                                  "/van-ban/?q=%C4%91%C4%83ng+k%C3%BD&trang=40", "/nhat-ky",
                                  "/nhat-ky?viec=luu&trang=300"])
        for path, ms in pages.items():
            echo(f"(g) {path}: {ms:.1f} ms ({count} bản lưu, 50 dòng một trang)")
        document = Path(folder) / "ke-hoach.docx"
        document.write_bytes(render(KIND, kind.example()).content)
        starts = {" ".join(argv): start_seconds(*argv) for argv in (("kinds",), ("schema", KIND),
                                                                    ("check", str(document)))}
        echo("(h) khởi động dòng lệnh: " + ", ".join(f"{name.split()[0]} {sec:.2f} s" for name, sec in starts.items()))
    figures = {"naive_ms": round(naive, 3), "engine_ms": round(fast, 3), "ratio": round(naive / fast, 1),
               "e2e_ratio_min": round(e2e_min, 1), "engine_over_floor_max": round(over_floor, 2),
               "batch_1000_rows_s": round(rows["seconds"], 2), "job_pss_mb_10000": round(job["mb"], 1),
               "registry_history_ratio": round(history_s / empty_s, 2),
               "registry_batch_s": round(history_s, 2), "pages_ms_max": round(max(pages.values()), 1),
               "start_s_max": round(max(starts.values()), 2)}
    echo(json.dumps(figures))
    return figures


def pdf_run(echo: Callable[[str], None], count: int = 12) -> dict[str, float]:
    """Compare PDF throughput: a cold `soffice --convert-to` per document against the warm pool."""
    if not pdf.available():
        raise pdf.PdfUnavailable(pdf.INSTALL)
    docx = render(KIND, get_kind(KIND).example()).content
    with tempfile.TemporaryDirectory() as folder:
        profile = Path(folder) / "profile"
        start = time.perf_counter()
        for index in range(count):
            source = Path(folder) / f"van-ban-{index}.docx"
            source.write_bytes(docx)
            subprocess.run([pdf.soffice() or "soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
                            "--convert-to", "pdf", "--outdir", folder, str(source)], capture_output=True, check=True,
                           timeout=300)
        cold = (time.perf_counter() - start) / count
    echo(f"(e) soffice --convert-to, khởi động mỗi văn bản: {cold:.2f} s/văn bản ({count} văn bản)")
    pool = pdf.pool()
    list(pool.convert_many([docx] * pool.size))  # start the converters; not timed
    start = time.perf_counter()
    list(pool.convert_many([docx] * count))
    warm = (time.perf_counter() - start) / count
    echo(f"(f) LibreOffice giữ ấm, {pool.size} tiến trình: {warm:.3f} s/văn bản — nhanh gấp {cold / warm:.1f} lần")
    figures = {"pdf_cold_s": round(cold, 3), "pdf_warm_s": round(warm, 3), "pdf_ratio": round(cold / warm, 1),
               "pdf_per_minute": round(60 / warm)}
    echo(json.dumps(figures))
    return figures
