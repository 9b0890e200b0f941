"""Numbering series of Party bodies: each type within the cấp ủy's nhiệm kỳ, beside NĐ 30's one series a year.

Revision ID: 0007
Revises: 0006

A series (bo_dem) is now keyed by issuing body, type name (`loai`, "" for every type) and period (`ky`,
a calendar year "2026" or a term "2025–2030"); each line of the sổ văn bản đi (so_di) names its series.
Existing counters and lines become the NĐ 30 series they were: every type, the calendar year `nam`.
The registry's thể thức and nhiệm kỳ are new facts of thuoc_tinh (`the_thuc`, `nhiem_ky`): no schema change.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# SQLite keeps the unnamed UNIQUE (co_quan, nam, so) of 0001 unnamed; batch mode names it by this convention.
NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s_%(column_1_name)s_%(column_2_name)s"}
OLD_UNIQUE = "uq_so_di_co_quan_nam_so"


def _series_columns() -> list[sa.Column]:
    return [sa.Column("loai", sa.String(60), nullable=False, server_default=""),
            sa.Column("ky", sa.String(20), nullable=False, server_default="")]


def _unique_name(connection: sa.engine.Connection, columns: list[str]) -> str | None:
    """Return the name the database gives the unique constraint of so_di on `columns`."""
    for constraint in sa.inspect(connection).get_unique_constraints("so_di"):
        if constraint["column_names"] == columns:
            return constraint["name"]
    return None


def _counters(series: bool) -> None:
    """Rebuild bo_dem keyed by (co_quan, loai, ky) with `series`, else by (co_quan, nam), keeping every row.

    A new table rather than ALTER: SQLite cannot change a primary key in place.
    """
    kept = ["co_quan", "nam", "so_cuoi", "so_bat_dau", "khoa_luc", "khoa_boi"]
    extra = [sa.Column("loai", sa.String(60), nullable=False), sa.Column("ky", sa.String(20), nullable=False),
             sa.Column("tu_ngay", sa.Date), sa.Column("den_ngay", sa.Date)] if series else []
    op.create_table(
        "bo_dem_moi",
        sa.Column("co_quan", sa.String(30), nullable=False),
        sa.Column("nam", sa.Integer, nullable=False),
        sa.Column("so_cuoi", sa.Integer, nullable=False),
        sa.Column("so_bat_dau", sa.Integer, nullable=False, server_default="1"),
        sa.Column("khoa_luc", sa.DateTime),
        sa.Column("khoa_boi", sa.String(80), nullable=False, server_default=""),
        *extra,
        sa.PrimaryKeyConstraint(*(("co_quan", "loai", "ky") if series else ("co_quan", "nam")),
                                name="pk_bo_dem" if series else "bo_dem_pkey"),
    )
    columns = ", ".join(kept)
    if series:  # every existing counter is the NĐ 30 series of its calendar year
        op.execute(f"INSERT INTO bo_dem_moi ({columns}, loai, ky) "
                   f"SELECT {columns}, '', CAST(nam AS VARCHAR(20)) FROM bo_dem")
    else:
        op.execute(f"INSERT INTO bo_dem_moi ({columns}) SELECT {columns} FROM bo_dem")
    op.drop_table("bo_dem")
    op.rename_table("bo_dem_moi", "bo_dem")


def upgrade() -> None:
    """Key the counters by series, give each register line its series (NĐ 30, calendar year for existing rows)."""
    connection = op.get_bind()
    _counters(series=True)
    with op.batch_alter_table("so_di") as batch:
        for column in _series_columns():
            batch.add_column(column)
    connection.execute(sa.text("UPDATE so_di SET loai = '', ky = CAST(nam AS VARCHAR(20))"))
    old_unique = OLD_UNIQUE if connection.dialect.name == "sqlite" else \
        _unique_name(connection, ["co_quan", "nam", "so"])
    with op.batch_alter_table("so_di", naming_convention=NAMING) as batch:
        if old_unique:
            batch.drop_constraint(old_unique, type_="unique")
        batch.create_unique_constraint("uq_so_di_so", ["co_quan", "loai", "ky", "so"])
        for column in _series_columns():
            batch.alter_column(column.name, existing_type=column.type, existing_nullable=False, server_default=None)


def downgrade() -> None:
    """Key the register by body and year again; refused while a Party series (per type or per term) exists."""
    connection = op.get_bind()
    party = sum(connection.execute(sa.text(
        f"SELECT COUNT(*) FROM {table} WHERE loai <> '' OR ky <> CAST(nam AS VARCHAR(20))")).scalar()
        for table in ("bo_dem", "so_di"))
    if party:
        raise NotImplementedError("Không hạ cấp được: sổ văn bản đi đã có sổ theo loại hoặc theo nhiệm kỳ của Đảng.")
    with op.batch_alter_table("so_di") as batch:
        batch.drop_constraint("uq_so_di_so", type_="unique")
        batch.create_unique_constraint("uq_so_di_co_quan_nam_so", ["co_quan", "nam", "so"])
        batch.drop_column("ky")
        batch.drop_column("loai")
    _counters(series=False)
