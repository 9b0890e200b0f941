"""Dated registry: facts of khối and bodies over date ranges, dated membership, two phó khối, drafts, soft delete.

Revision ID: 0005
Revises: 0004

Existing names, heads and memberships become facts with no start date (in force since before the
registry begins), so documents keep rendering with what the office already entered.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

KHOI_FACTS = ("ten", "ky_hieu", "chu_quan", "dia_danh")
DON_VI_FACTS = ("ten", "ten_ngan", "ky_hieu", "chu_quan", "dia_danh", "thu_truong", "chuc_vu_thu_truong", "cap_pho",
                "chuc_vu_cap_pho")


def _lifetime(batch: object, table: str) -> None:
    batch.add_column(sa.Column("ma", sa.String(40), nullable=True))
    batch.add_column(sa.Column("tu_ngay", sa.Date))
    batch.add_column(sa.Column("den_ngay", sa.Date))
    batch.add_column(sa.Column("ke_tiep_id", sa.Integer, sa.ForeignKey(f"{table}.id", name=f"fk_{table}_ke_tiep")))


def upgrade() -> None:
    """Move the registry's columns into dated facts and memberships."""
    with op.batch_alter_table("khoi") as batch:
        _lifetime(batch, "khoi")
    with op.batch_alter_table("don_vi") as batch:
        _lifetime(batch, "don_vi")
    facts = op.create_table(
        "thuoc_tinh",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("khoi_id", sa.Integer, sa.ForeignKey("khoi.id"), index=True),
        sa.Column("don_vi_id", sa.Integer, sa.ForeignKey("don_vi.id"), index=True),
        sa.Column("truong", sa.String(30), nullable=False),
        sa.Column("gia_tri", sa.String(200), nullable=False),
        sa.Column("tu_ngay", sa.Date),
        sa.Column("den_ngay", sa.Date),
    )
    members = op.create_table(
        "thanh_vien",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("khoi_id", sa.Integer, sa.ForeignKey("khoi.id"), nullable=False, index=True),
        sa.Column("don_vi_id", sa.Integer, sa.ForeignKey("don_vi.id"), nullable=False, index=True),
        sa.Column("tu_ngay", sa.Date),
        sa.Column("den_ngay", sa.Date),
        sa.Column("thu_tu", sa.Integer, nullable=False),
    )
    connection = op.get_bind()
    rows = []
    for khoi in connection.execute(sa.text("SELECT * FROM khoi")).mappings():
        connection.execute(sa.text("UPDATE khoi SET ma = :ma WHERE id = :id"),
                           {"ma": f"K{khoi['id']}", "id": khoi["id"]})
        rows += [{"khoi_id": khoi["id"], "don_vi_id": None, "truong": name, "gia_tri": khoi[name]}
                 for name in KHOI_FACTS if khoi[name]]
    links = []
    for unit in connection.execute(sa.text("SELECT * FROM don_vi")).mappings():
        connection.execute(sa.text("UPDATE don_vi SET ma = :ma WHERE id = :id"), {"ma": f"DV{unit['id']}",
                                                                                  "id": unit["id"]})
        rows += [{"khoi_id": None, "don_vi_id": unit["id"], "truong": name, "gia_tri": unit[name]}
                 for name in DON_VI_FACTS if unit[name]]
        links.append({"khoi_id": unit["khoi_id"], "don_vi_id": unit["id"], "thu_tu": unit["thu_tu"]})
    if rows:
        op.bulk_insert(facts, rows)
    if links:
        op.bulk_insert(members, links)
    with op.batch_alter_table("khoi") as batch:
        batch.alter_column("ma", existing_type=sa.String(40), nullable=False)
        batch.create_unique_constraint("uq_khoi_ma", ["ma"])
        for name in KHOI_FACTS:
            batch.drop_column(name)
    with op.batch_alter_table("don_vi") as batch:
        batch.alter_column("ma", existing_type=sa.String(40), nullable=False)
        batch.create_unique_constraint("uq_don_vi_ma", ["ma"])
        for name in (*DON_VI_FACTS, "khoi_id", "thu_tu"):
            batch.drop_column(name)
    # vai_tro: a year may have two phó khối, so the unit is part of the key; rebuilt under a named constraint.
    op.create_table(
        "vai_tro_moi",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("khoi_id", sa.Integer, sa.ForeignKey("khoi.id"), nullable=False),
        sa.Column("nam", sa.Integer, nullable=False),
        sa.Column("vai_tro", sa.String(20), nullable=False),
        sa.Column("don_vi_id", sa.Integer, sa.ForeignKey("don_vi.id"), nullable=False),
        sa.Column("thu_tu", sa.Integer, nullable=False, server_default="0"),
        sa.UniqueConstraint("khoi_id", "nam", "vai_tro", "don_vi_id", name="uq_vai_tro"),
    )
    connection.execute(sa.text("INSERT INTO vai_tro_moi (khoi_id, nam, vai_tro, don_vi_id, thu_tu) "
                               "SELECT khoi_id, nam, vai_tro, don_vi_id, 0 FROM vai_tro ORDER BY id"))
    op.drop_table("vai_tro")
    op.rename_table("vai_tro_moi", "vai_tro")
    with op.batch_alter_table("van_ban") as batch:
        batch.add_column(sa.Column("nhap", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("xoa_luc", sa.DateTime))
        batch.add_column(sa.Column("xoa_boi", sa.String(80), nullable=False, server_default=""))


def downgrade() -> None:
    """Not supported: dated facts cannot be folded back into one value per body."""
    raise NotImplementedError("Không hạ cấp được từ danh mục có ngày hiệu lực.")
