"""Uploading a member list, and the worker running a confirmed import, a batch at a time.

Each batch is committed with the progress, so the admin's page moves, and an import cut short
is picked up where it stopped: a row already made an invitation or filled an account finds
nothing left to do the second time.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import load_only, selectinload

from app.extensions import db
from app.models import Import, ImportStatus, Invitation, Sector, User
from app.models.types import utcnow
from app.services import errors, invitations
from app.services.imports.checking import Row, check_rows, guess_mapping, sector_ids_by_name
from app.services.imports.reading import read_table
from app.services.profiles import tags_named

BATCH = 500
PROBLEMS_KEPT = 500
CREATE_SECTOR = 0  # in a sector mapping: make a sector of that name


def upload(data: bytes, filename: str, admin: User) -> Import:
    header, rows = read_table(data, filename)
    job = Import(
        created_by_id=admin.id,
        filename=(filename or "")[:200],
        header=header,
        rows=rows,
        mapping=guess_mapping(header),
        total=len(rows),
    )
    db.session.add(job)
    db.session.flush()
    return job


def set_choices(job: Import, mapping: dict[str, str], sectors: dict[str, int], update: bool):
    """The admin's matching of columns and sectors, kept for the preview and the run."""
    if job.status != ImportStatus.DRAFT:
        raise errors.ImportStarted()
    job.mapping = {index: name for index, name in mapping.items() if name}
    job.sector_mapping = sectors
    job.update_existing = update


def start(job: Import) -> None:
    """Confirmed: the worker runs it next."""
    if job.status != ImportStatus.DRAFT:
        raise errors.ImportStarted()
    if "email" not in job.mapping.values():
        raise errors.NoEmailColumn()
    job.status = ImportStatus.QUEUED


def _sector_ids(job: Import, rows: list[Row]) -> dict[str, int | None]:
    """Sector as written (lower-cased) → id, making the sectors the admin chose to create."""
    known = sector_ids_by_name()
    for written in sorted({row.sector for row in rows if row.sector}):
        key = written.lower()
        if key in known:
            continue
        chosen = job.sector_mapping.get(written, CREATE_SECTOR)
        if chosen == CREATE_SECTOR:
            sector = Sector(name_uk=written[:80], name_en=written[:80], colour="#5b6475")
            db.session.add(sector)
            db.session.flush()
            known[key] = sector.id
        else:
            known[key] = chosen if chosen and db.session.get(Sector, chosen) else None
    return known


def _profile(row: Row, sector_ids) -> dict:
    return {
        "sector_id": sector_ids.get(row.sector.lower()) if row.sector else None,
        "organisation": row.organisation[:160],
        "city": row.city[:80],
        "languages": row.languages,
        "interests": row.interests,
        "offers": row.offers,
        "asks": row.asks,
        "contact": row.contact[:120],
        "joined": row.joined,
    }


def _locale(row: Row) -> str:
    return "en" if row.languages and "uk" not in row.languages and "en" in row.languages else "uk"


def _fill_empty(user: User, profile: dict) -> bool:
    """Copy what the list says into the account's empty fields only; whether any changed."""
    changed = False
    for name in ("organisation", "city", "contact"):
        if not getattr(user, name) and profile[name]:
            setattr(user, name, profile[name])
            changed = True
    if user.sector_id is None and profile["sector_id"]:
        user.sector_id, changed = profile["sector_id"], True
    if not user.languages and profile["languages"]:
        user.languages, changed = profile["languages"], True
    for name in ("interests", "offers", "asks"):
        if not getattr(user, name) and profile[name]:
            setattr(user, name, tags_named(profile[name]))
            changed = True
    return changed


def _apply_batch(job: Import, rows: list[Row], sector_ids, now: datetime) -> dict[str, int]:
    counts = {"invited": 0, "updated": 0, "unchanged": 0, "skipped": 0}
    emails = [row.email for row in rows if row.action != "skip"]
    users = {
        user.email: user
        for user in db.session.scalars(
            sa.select(User)
            .where(User.email.in_(emails))
            .options(selectinload(User.interests), selectinload(User.offers))
            .options(selectinload(User.asks))
        )
    }
    invited = set(
        db.session.scalars(sa.select(Invitation.email).where(Invitation.email.in_(emails)))
    )
    new = []
    for row in rows:
        if row.action == "skip":
            counts["skipped"] += 1
        elif row.email in users:
            update = job.update_existing and _fill_empty(
                users[row.email], _profile(row, sector_ids)
            )
            counts["updated" if update else "unchanged"] += 1
        elif row.email in invited:
            counts["unchanged"] += 1
        else:
            invitation = Invitation(
                email=row.email,
                name=row.name[:120],
                locale=_locale(row),
                profile=_profile(row, sector_ids),
                import_id=job.id,
            )
            new.append(invitation)
            invited.add(row.email)
    db.session.add_all(new)
    db.session.flush()
    for invitation in new:
        invitations.send(invitation, now=now)
    counts["invited"] += len(new)
    return counts


def run(job: Import, now: datetime | None = None) -> None:
    """Run a confirmed import to its end, committing each batch and the progress."""
    now = now or utcnow()
    preview = check_rows(job.header, job.rows, job.mapping, job.update_existing)
    sector_ids = _sector_ids(job, preview.rows)
    totals = {"invited": 0, "updated": 0, "unchanged": 0, "skipped": 0}
    job.status, job.done = ImportStatus.RUNNING, 0
    db.session.commit()
    for start in range(0, len(preview.rows), BATCH):
        batch = preview.rows[start : start + BATCH]
        for key, value in _apply_batch(job, batch, sector_ids, now).items():
            totals[key] += value
        job.done = start + len(batch)
        job.counts = dict(totals)
        db.session.commit()
    job.problems = [
        {"row": row.number, "email": row.email, "problems": row.problems}
        for row in preview.with_problems[:PROBLEMS_KEPT]
    ]
    job.status, job.finished_at = ImportStatus.DONE, utcnow()


def run_waiting(now: datetime) -> int:
    """The worker's duty: every confirmed import, oldest first; one a stopped worker left
    running is run again, and finds done what it had done."""
    running = [ImportStatus.QUEUED, ImportStatus.RUNNING]
    waiting = sa.select(Import).where(Import.status.in_(running)).order_by(Import.id)
    ran = 0
    for job in db.session.scalars(waiting).all():
        run(job, now)
        db.session.commit()
        ran += 1
    return ran


def recent(limit: int = 20) -> list[Import]:
    """The latest imports, without their rows (a list of 5,000 rows is not needed here)."""
    query = (
        sa.select(Import)
        .options(
            load_only(
                Import.id,
                Import.filename,
                Import.created_at,
                Import.status,
                Import.total,
                Import.done,
                Import.counts,
            )
        )
        .order_by(Import.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))
