"""Backup and restore through the CLI: SQLite to PostgreSQL and back, every row and the rendered documents."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from doctpl.cli import main
from doctpl.store import records, registry_file, seed
from doctpl.store.db import Store
from tests.stores import BACKENDS, database


@pytest.mark.parametrize("target", BACKENDS)
def test_a_backup_restores_into_an_empty_database(target, tmp_path):
    source_url = f"sqlite:///{tmp_path / 'nguon.sqlite3'}"
    source = Store(source_url)
    source.upgrade()
    with source.session() as session:
        seed.seed_demo(session)
        records.delete(session, records.find(session)[0].id, who="t")
        exported = registry_file.export(session)
        rendered = {r.id: records.render_record(session, r.id, who="t").content for r in records.find(session)
                    if not r.nhap}  # a draft is not rendered
    source.dispose()
    archive = tmp_path / "sao-luu.tar.gz"
    made = CliRunner().invoke(main, ["backup", "-o", str(archive), "--database", source_url])
    assert made.exit_code == 0, made.output
    assert (archive.stat().st_mode & 0o777) == 0o600
    with database(target, tmp_path) as url:
        restored = CliRunner().invoke(main, ["restore", str(archive), "--database", url,
                                             "--files-to", str(tmp_path / "tep")])
        assert restored.exit_code == 0, restored.output
        again = CliRunner().invoke(main, ["restore", str(archive), "--database", url])
        assert again.exit_code == 2 and "đã có dữ liệu" in again.output  # never over existing data
        copy = Store(url)
        with copy.session() as session:
            assert registry_file.export(session) == exported
            assert {r.id: records.render_record(session, r.id, who="t").content
                    for r in records.find(session) if not r.nhap} == rendered
            assert len(records.find(session, deleted=True)) == 1
            plan = records.find(session, kind="ke_hoach")[0]
            new = records.save(session, "ke_hoach", records.data(session, plan.id) | {"so": None}, who="t")
            assert new.id > max(rendered)  # the id sequences moved past the restored rows
        copy.dispose()
    broken = tmp_path / "hong.tar.gz"
    broken.write_bytes(b"khong phai tar")
    bad = CliRunner().invoke(main, ["restore", str(broken), "--database", f"sqlite:///{tmp_path / 'x.sqlite3'}"])
    assert bad.exit_code == 2 and "không đọc được" in bad.output
