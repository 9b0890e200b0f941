"""Accounts scoped to a unit or a khối, server-side sessions, API keys, failed sign-ins, one-time setup;
the review list a rolled record was made with.

Revision ID: 0006
Revises: 0005

Existing văn thư accounts keep working but see nothing until an admin gives them a unit or a khối;
an existing database that has accounts counts as set up.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the scope columns and the tables of sessions, keys, attempts and setup."""
    with op.batch_alter_table("nguoi_dung") as batch:
        batch.add_column(sa.Column("don_vi_id", sa.Integer, sa.ForeignKey("don_vi.id", name="fk_nguoi_dung_don_vi")))
        batch.add_column(sa.Column("khoi_id", sa.Integer, sa.ForeignKey("khoi.id", name="fk_nguoi_dung_khoi")))
    op.create_table(
        "phien",
        sa.Column("ma_bam", sa.String(64), primary_key=True),
        sa.Column("nguoi_dung_id", sa.Integer, sa.ForeignKey("nguoi_dung.id"), nullable=False, index=True),
        sa.Column("tao_luc", sa.DateTime, nullable=False),
        sa.Column("dung_luc", sa.DateTime, nullable=False),
    )
    op.create_table(
        "khoa_api",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("nguoi_dung_id", sa.Integer, sa.ForeignKey("nguoi_dung.id"), nullable=False, index=True),
        sa.Column("ten", sa.String(80), nullable=False),
        sa.Column("tien_to", sa.String(16), nullable=False),
        sa.Column("ma_bam", sa.String(64), nullable=False, unique=True),
        sa.Column("tao_luc", sa.DateTime, server_default=sa.func.now(), nullable=False),
        sa.Column("dung_luc", sa.DateTime),
        sa.Column("thu_hoi_luc", sa.DateTime),
    )
    op.create_table(
        "dang_nhap_thu",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("dia_chi", sa.String(64), nullable=False, index=True),
        sa.Column("ten_dang_nhap", sa.String(40), nullable=False, index=True),
        sa.Column("luc", sa.DateTime, nullable=False, index=True),
    )
    op.create_table(
        "khoi_tao",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("luc", sa.DateTime, server_default=sa.func.now(), nullable=False),
    )
    with op.batch_alter_table("van_ban") as batch:
        batch.add_column(sa.Column("xem_lai", sa.Text, nullable=False, server_default=""))
    connection = op.get_bind()
    if connection.execute(sa.text("SELECT COUNT(*) FROM nguoi_dung")).scalar():
        connection.execute(sa.text("INSERT INTO khoi_tao (id) VALUES (1)"))


def downgrade() -> None:
    """Drop the tables and the scope columns."""
    with op.batch_alter_table("van_ban") as batch:
        batch.drop_column("xem_lai")
    for table in ("khoi_tao", "dang_nhap_thu", "khoa_api", "phien"):
        op.drop_table(table)
    with op.batch_alter_table("nguoi_dung") as batch:
        batch.drop_column("khoi_id")
        batch.drop_column("don_vi_id")
