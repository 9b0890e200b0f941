"""Roll saved documents into another year, one record or a khối's whole set, through the one next-year rule.

A whole set is planned first (what will be created, what exists already, what needs review) and
applied only on confirmation; applying it twice creates nothing the second time.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from doctpl.kind import get_kind, kinds
from doctpl.review import Finding
from doctpl.rollover import Rolled
from doctpl.store import audit, next_year, records
from doctpl.store.models import VanBan


@dataclass
class Step:
    """One record of a set and what rolling it into the new year does: create, skip (exists) or cannot."""

    source: VanBan
    rolled: Rolled | None = None
    khoi_id: int | None = None
    don_vi_id: int | None = None
    existing: VanBan | None = None  # the new year's record already made from it, or for the same issuer
    problem: str = ""  # why it cannot be rolled (its body ended with no successor)
    created: VanBan | None = None

    @property
    def action(self) -> str:
        """Return "tao", "da_co" or "khong_the"."""
        return "khong_the" if self.problem else "da_co" if self.existing else "tao"


def plan(session: Session, record_id: int, to_year: int, lookups: next_year.Lookups | None = None) -> Step:
    """Return what rolling one record into `to_year` gives, nothing saved (`lookups`: shared by a set's records)."""
    source = records.get(session, record_id)
    step = Step(source)
    try:
        step.rolled, step.khoi_id, step.don_vi_id = next_year.next_document(
            session, get_kind(source.kind), records.data(session, record_id), to_year,
            khoi_id=source.khoi_id, don_vi_id=source.don_vi_id, lookups=lookups)
    except next_year.Ended as error:
        step.problem = str(error)
        return step
    step.existing = _existing(session, step, to_year)
    return step


def _existing(session: Session, step: Step, to_year: int) -> VanBan | None:
    """Return the live record of `to_year` already rolled from the source, or of the same kind and issuer.

    One query for that record alone (on the indexes of migration 0009), not every record of the year.
    """
    same = [VanBan.tao_tu == step.source.id]
    if step.khoi_id is not None:
        same.append(and_(VanBan.khoi_id == step.khoi_id, VanBan.don_vi_id == step.don_vi_id
                         if step.don_vi_id is not None else VanBan.don_vi_id.is_(None)))
    query = select(VanBan).where(VanBan.xoa_luc.is_(None), VanBan.nam == to_year, VanBan.kind == step.source.kind,
                                 or_(*same))
    return session.scalars(query.order_by(VanBan.id).limit(1)).first()


def apply(session: Session, step: Step, to_year: int, *, who: str) -> Step:
    """Save a planned step as a draft-or-finished record of `to_year` that remembers where it came from."""
    if step.action != "tao" or step.rolled is None:
        return step
    new = records.save(session, step.source.kind, step.rolled.data, who=who, khoi_id=step.khoi_id,
                       don_vi_id=step.don_vi_id, tao_tu=step.source.id, draft=True)
    new.xem_lai = json.dumps([asdict(item) for item in step.rolled.review()], ensure_ascii=False)
    audit.log(session, who, "nam_sau", kind=new.kind, van_ban_id=new.id, phien_ban=1,
              chi_tiet=f"từ bản lưu #{step.source.id} năm {step.source.nam}")
    step.created = new
    return step


def review_of(record: VanBan) -> list[Finding]:
    """Return what the roll-over that made `record` listed for review (nothing for a record not rolled)."""
    return [Finding(**item) for item in json.loads(record.xem_lai)] if record.xem_lai else []


def khoi_set(session: Session, khoi_id: int, nam: int) -> list[VanBan]:
    """Return the khối's documents of a year, the latest live record of each kind and issuer (one query)."""
    found = records.latest(session, khoi_id=khoi_id, kinds=[kind.id for kind in kinds()], nam=nam, exact=True)
    return sorted((item.record for item in found.values()), key=lambda r: (get_kind(r.kind).order, r.don_vi_id or 0))


def plan_set(session: Session, khoi_id: int, from_year: int, to_year: int) -> list[Step]:
    """Plan the roll-over of a khối's whole set, nothing saved; the registry is read once for all its records."""
    lookups = next_year.Lookups(session)
    return [plan(session, record.id, to_year, lookups) for record in khoi_set(session, khoi_id, from_year)]


def apply_set(session: Session, khoi_id: int, from_year: int, to_year: int, *, who: str) -> list[Step]:
    """Roll a khối's whole set; records that exist already are left alone, so a second run creates nothing."""
    steps = plan_set(session, khoi_id, from_year, to_year)
    for step in steps:
        apply(session, step, to_year, who=who)
    return steps
