"""Saving an organisation's profile data for a round (counted facts, audited, guarded against stale saves)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from capacity.audit import services as audit
from capacity.auth.models import User
from capacity.extensions import db
from capacity.profiles.models import ProfileSheet, ProfileValue
from capacity.timeutil import utcnow


class StaleProfile(RuntimeError):
    """Someone saved this profile data after the user opened the page: nothing of this save was applied.

    ``theirs`` holds the values stored now, ``revision`` their revision (to save over them knowingly)
    and ``who`` the name of whoever saved last.
    """

    def __init__(self, theirs: dict[tuple[str, str], float], revision: int, who: str):
        super().__init__(f"profile revision {revision}")
        self.theirs, self.revision, self.who = theirs, revision, who


@dataclass(frozen=True)
class SheetState:
    revision: int  # 0: never saved through a sheet
    who: str


def current_values(organisation_id: int, round_id: int) -> dict[tuple[str, str], float]:
    rows = db.session.execute(sa.select(ProfileValue.code, ProfileValue.category, ProfileValue.value).where(
        ProfileValue.organisation_id == organisation_id, ProfileValue.round_id == round_id))
    return {(code, category): value for code, category, value in rows}


def sheet_state(organisation_id: int, round_id: int) -> SheetState:
    """The revision the page carries (0 before the first save) and who saved last, as committed now."""
    row = db.session.execute(
        sa.select(ProfileSheet.revision, User.display_name).outerjoin(User, User.id == ProfileSheet.updated_by_id)
        .where(ProfileSheet.organisation_id == organisation_id, ProfileSheet.round_id == round_id)).first()
    return SheetState(row[0], row[1] or "") if row else SheetState(0, "")


def _claim_sheet(actor: Any, organisation_id: int, round_id: int, seen: int) -> None:
    """Take the next revision of the sheet, or raise StaleProfile if the user did not see the latest one.

    A first save inserts the sheet inside a savepoint (two first saves at once: the loser hits the unique
    constraint and is stale); a later one is ``UPDATE … SET revision = revision + 1 WHERE revision = :seen``,
    which on PostgreSQL also makes a concurrent save wait for this one and then find itself stale.
    """
    who = getattr(actor, "id", None)
    if seen == 0:
        try:
            with db.session.begin_nested():
                db.session.execute(sa.insert(ProfileSheet).values(organisation_id=organisation_id, round_id=round_id,
                                                                  revision=1, updated_by_id=who, updated_at=utcnow()))
            return
        except IntegrityError:
            pass  # someone else saved first: stale below
    else:
        claimed = db.session.execute(
            sa.update(ProfileSheet).where(ProfileSheet.organisation_id == organisation_id, ProfileSheet.round_id == round_id,
                                          ProfileSheet.revision == seen)
            .values(revision=ProfileSheet.revision + 1, updated_by_id=who, updated_at=utcnow())
            .execution_options(synchronize_session=False))
        if claimed.rowcount == 1:
            return
    state = sheet_state(organisation_id, round_id)
    raise StaleProfile(current_values(organisation_id, round_id), state.revision, state.who)


def save_values(actor: Any, organisation_id: int, round_id: int, values: dict[tuple[str, str], float | None],
                seen_revision: int | None = None) -> int:
    """Store the given cells (None clears one); return how many changed. One audit event lists the changes.

    ``seen_revision`` is the sheet revision the form was loaded at (0: never saved). Raises StaleProfile
    (nothing applied) when someone saved since and this save would change something. ``None`` is for
    code that loads data on purpose (demo, imports, tests), never for a user's form: it saves over the
    current revision, and still bumps it, so a page opened earlier is refused afterwards.
    """
    existing = {(v.code, v.category): v for v in db.session.scalars(sa.select(ProfileValue).where(
        ProfileValue.organisation_id == organisation_id, ProfileValue.round_id == round_id))}
    changes = {key: value for key, value in values.items()
               if (existing[key].value if key in existing else None) != value}
    if not changes:
        return 0  # already stored exactly so: nothing to overwrite, whatever the revision
    if seen_revision is None:
        seen_revision = sheet_state(organisation_id, round_id).revision
    _claim_sheet(actor, organisation_id, round_id, seen_revision)
    # The claim may have waited for another save (PostgreSQL): read the cells again before changing them.
    existing = {(v.code, v.category): v for v in db.session.scalars(sa.select(ProfileValue).where(
        ProfileValue.organisation_id == organisation_id, ProfileValue.round_id == round_id)
        .execution_options(populate_existing=True))}
    before, after = {}, {}
    for key, value in changes.items():
        row = existing.get(key)
        old = row.value if row else None
        if old == value:
            continue
        label = ".".join(key)
        before[label], after[label] = old, value
        if value is None:
            db.session.delete(row)
        elif row is None:
            db.session.add(ProfileValue(organisation_id=organisation_id, round_id=round_id, code=key[0], category=key[1],
                                        value=float(value), updated_by_id=getattr(actor, "id", None)))
        else:
            row.value, row.updated_by_id, row.updated_at = float(value), getattr(actor, "id", None), utcnow()
    if after:
        audit.record(actor, "profile.save", "profile", f"{organisation_id}/{round_id}", organisation_id=organisation_id,
                     before=before, after=after)
    db.session.flush()
    return len(after)


@dataclass(frozen=True)
class Source:
    """Who last entered some of a question's figures, and when: ``who`` is "" when no account is recorded
    (figures loaded by a command, an import or the demo, or entered by an account since deleted)."""

    who: str
    at: Any  # datetime (UTC)


def value_sources(organisation_id: int, round_id: int) -> dict[str, list[Source]]:
    """Per profile question: where its stored figures came from, newest first, one entry per person and day.

    Read from each figure's own record (``updated_by``, ``updated_at``), so a form filled before
    anyone opened it says by whom and when, instead of showing numbers of unknown origin.
    """
    rows = db.session.execute(
        sa.select(ProfileValue.code, User.display_name, ProfileValue.updated_at)
        .outerjoin(User, User.id == ProfileValue.updated_by_id)
        .where(ProfileValue.organisation_id == organisation_id, ProfileValue.round_id == round_id)
        .order_by(ProfileValue.updated_at.desc()))
    found: dict[str, list[Source]] = {}
    seen: set[tuple[str, str, Any]] = set()
    for code, who, at in rows:
        key = (code, who or "", at.date() if at else None)
        if key in seen:
            continue
        seen.add(key)
        found.setdefault(code, []).append(Source(who or "", at))
    return found
