"""Importing a KoboToolbox/ODK submissions export into a round's assessments on one track: all rows or none.

Each row is one subject of the round's kind (its code in ``capacity_organisation``: an organisation, a service or
a municipality, as the round's questionnaire assesses); each answer is checked exactly as the web checks it
(``answering.validate``), then saved through the web's own ``save_answer`` (revisions, one audit event per changed
answer) in one savepoint, with one audit event for the import itself. Any problem anywhere — an unknown code, a
subject twice, a subject of another kind than the round's (an organisation's code in a service round), a level
outside the scale, an assessment already submitted — and nothing is saved; ``apply=False`` (a dry run) gives the
same report without saving.

Decisions, said once here and in the report:
- An empty cell gives no answer: what is stored for that indicator stays. A stored answer's comment and link
  to evidence are kept when its level or value is replaced (the collection form asks neither).
- An answer to a question the row's own answers do not ask (its ``show_if`` not met) is refused, not dropped:
  the collection form never records one, so the file was edited and a person should decide.
- Only the self and mentor tracks are imported; the agreed (consensus) assessment is agreed on the web.
- Imported assessments stay drafts: the organisation or the mentor reviews and submits them on the web.
- Only answers of the target track are read (to count what is replaced): never another track's.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import replace
from typing import Any

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from capacity.assessments import answering
from capacity.assessments.models import Answer, Assessment, Status, Track
from capacity.assessments.results import DefinitionChanged, pinned_definitions
from capacity.assessments.typed import RELOAD, InvalidAnswer
from capacity.audit import services as audit
from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.questionnaires.checker import DefinitionError
from capacity.questionnaires.library import Library
from capacity.questionnaires.model import Questionnaire
from capacity.questionnaires.values import decode, shown
from capacity.rounds.definitions import DefinitionMissing
from capacity.rounds.models import AssessmentRound
from capacity.submissions.mapping import Cell, map_columns, row_answers
from capacity.submissions.reading import FileProblem, read_table
from capacity.submissions.report import Matched, Problem, Report
from capacity.subjects.lookup import kind_of
from capacity.timeutil import utcnow

IMPORTABLE = (Track.SELF, Track.MENTOR)


MAX_NAME = 120


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def upload_name(raw: str | None) -> str:
    """The name an uploaded file is shown and audited under: what the browser sent, less any folder (``/`` or
    ``\\``), control characters (NUL, line breaks) and surrounding spaces and dots, at most 120 characters (its
    extension kept); "submissions" when nothing is left. Georgian names stay as they are."""
    name = re.split(r"[/\\]", raw or "")[-1]
    name = "".join(" " if unicodedata.category(c).startswith("C") else c for c in name)
    name = " ".join(name.split()).strip(". ")
    if len(name) > MAX_NAME:
        stem, dot, extension = name.rpartition(".")
        extension = extension[:10] if dot and stem else ""
        name = name[:MAX_NAME - len(extension) - 2].rstrip() + "…" + ("." + extension if extension else "")
    return name or "submissions"


def _why(message: Any) -> str:
    """A validation message without its "reload the page" ending, which means nothing for a file."""
    text, reload = str(message), str(RELOAD)
    return text.replace(" " + reload, "").replace(reload, "").strip() or text


def _status_name(status: Status) -> str:
    return {Status.SUBMITTED: _("submitted"), Status.VALIDATED: _("validated")}.get(status, status.value)


class _Planned:
    """One organisation's row, checked: what will be saved on apply."""

    def __init__(self, organisation: Organisation, row: int, cells: list[tuple[Cell, answering.AnswerInput]],
                 replaced: int):
        self.organisation, self.row, self.cells, self.replaced = organisation, row, cells, replaced


def import_submissions(actor: Any, round_: AssessmentRound, track: Track | str, filename: str, data: bytes, *,
                       apply: bool, library: Library | None = None, basis: dict | None = None) -> Report:
    """Check (and with ``apply``, save) the submissions in ``data`` for ``round_`` on ``track``; the Report says what.

    ``actor`` is the User importing (None on the command line). Saves nothing unless every row is clean; the
    caller commits when ``report.applied``. Never raises for anything in the file.

    ``report.basis`` holds the revision of each stored answer the check read ({org code: {indicator: revision}});
    given back as ``basis`` (the web's confirm step), the answers are saved on those revisions, so an answer saved
    on the web since that check refuses the whole import instead of being overwritten unseen. Without it (the
    command line, which checks and imports at once) the revisions read now are used.
    """
    report = Report(filename=filename, sha256=sha256(data), round_code=round_.code,
                    track=str(getattr(track, "value", track)), subject_kind=round_.subject_kind)
    try:
        track = Track(track)
    except ValueError:
        track = None
    if track not in IMPORTABLE:
        report.file_problem = _("Submissions are imported into the self-assessment or the mentor's assessment; "
                                "the agreed assessment is agreed on the web.")
        return report
    if not round_.is_open:
        report.file_problem = _("The round is closed: open it again to import submissions.")
        return report
    try:
        definitions = pinned_definitions(round_, library)
    except (DefinitionMissing, DefinitionChanged, DefinitionError) as problem:
        report.file_problem = str(getattr(problem, "message", None) or problem).splitlines()[0]
        return report
    questionnaire, rubric = definitions.questionnaire, definitions.rubric
    try:
        table = read_table(data)
    except FileProblem as problem:
        report.file_problem = str(problem.message)
        return report
    columns = map_columns(questionnaire, table.headers)
    report.unknown_columns = columns.unknown
    report.metadata_columns = len(columns.metadata)
    report.profile_columns = len(columns.profile)
    report.indicator_columns = len(columns.indicators) + len(set(columns.options) - set(columns.indicators))
    if not report.indicator_columns:
        report.file_problem = _("No column of the file answers an indicator of this round's questionnaire. Was it "
                                "collected with this round's collection form, and exported with XML values and "
                                "headers (not labels)?")
        return report
    for code, headers in columns.twice:
        report.problems.append(Problem(None, ", ".join(headers), "",
                                       _("These columns all answer indicator %(code)s: keep only one.", code=code)))
    planned = _check_rows(report, table.rows, columns, questionnaire, round_, track, basis)
    if not report.ok or not apply:
        return report
    _save(actor, report, planned, questionnaire, rubric, round_, track)
    return report


def _kind_name(code: str) -> str:
    kind = kind_of(code)
    return kind.name.get(str(get_locale() or "en")) if kind is not None else code


def _check_rows(report: Report, rows, columns, questionnaire: Questionnaire, round_: AssessmentRound,
                track: Track, basis: dict | None) -> list[_Planned]:
    """Read every row: the subject, its assessment on the track, each answer; problems into ``report``.

    A row's code must name a subject of the round's kind: an organisation's code in a service round is refused
    with its row number, never imported into a subject the round does not assess."""
    org_column = columns.organisation
    codes = {cells[org_column.index] for _n, cells in rows if cells[org_column.index]}
    organisations = {o.code: o for o in db.session.scalars(sa.select(Organisation).where(Organisation.code.in_(codes)))} \
        if codes else {}
    assessments = {a.organisation_id: a for a in db.session.scalars(
        sa.select(Assessment).where(Assessment.round_id == round_.id, Assessment.track == track,
                                    Assessment.organisation_id.in_([o.id for o in organisations.values()]))
        .options(selectinload(Assessment.answers)))} if organisations else {}
    first_row: dict[str, int] = {}
    planned = []
    for number, cells in rows:
        if not any(cells):
            report.blank_rows.append(number)
            continue
        report.rows += 1
        code = cells[org_column.index]
        if not code:
            report.problems.append(Problem(number, org_column.header, "",
                                           _("This row does not say whose answers they are: its code is empty.")))
            continue
        organisation = organisations.get(code)
        if organisation is None:
            report.unknown_organisations.append(Problem(number, org_column.header, code,
                                                        _("Nothing in the programme has this code.")))
            continue
        if organisation.kind != round_.subject_kind:
            report.problems.append(Problem(number, org_column.header, code, _(
                "“%(code)s” is not assessed in this round: it is of another kind (%(kind)s; the round assesses: "
                "%(round_kind)s). Nothing is imported into it.", code=code,
                kind=_kind_name(organisation.kind), round_kind=_kind_name(round_.subject_kind))))
            continue
        if code in first_row:
            report.problems.append(Problem(number, org_column.header, code, _(
                "“%(code)s” is already in row %(row)d: give one row per code (delete the submission that is not "
                "the right one).", code=code, row=first_row[code])))
            continue
        first_row[code] = number
        if not organisation.active:
            report.problems.append(Problem(number, org_column.header, code,
                                           _("It is no longer active in the programme.")))
            continue
        assessment = assessments.get(organisation.id)
        if assessment is not None and assessment.status != Status.DRAFT:
            report.problems.append(Problem(number, org_column.header, code, _(
                "Its assessment on this track is already %(status)s: it cannot be replaced by an import (reopen it "
                "on the web first).", status=_status_name(assessment.status))))
            continue
        seen = None if basis is None else basis.get(code)
        one = _check_row(report, number, questionnaire, columns, cells, answering.answers_by_code(assessment),
                         seen if isinstance(seen, dict) else ({} if basis is not None else None))
        if one is not None:
            cells_ok, replaced, revisions = one
            report.basis[code] = revisions
            planned.append(_Planned(organisation, number, cells_ok, replaced))
            report.organisations.append(Matched(organisation.code, organisation.name_ka, organisation.name_en, number,
                                                len(cells_ok), replaced))
    return planned


def _check_row(report: Report, number: int, questionnaire: Questionnaire, columns, cells: tuple[str, ...],
               stored: dict[str, Answer], seen: dict | None
               ) -> tuple[list[tuple[Cell, answering.AnswerInput]], int, dict[str, int]] | None:
    """Each answer of one row validated as the web validates it, then the row's conditions; None on a problem.

    ``seen``: the revisions an earlier check read (see ``import_submissions``), else None (those stored now)."""
    before = len(report.problems)
    checked, raw, replaced, revisions = [], {}, 0, {}
    for cell in row_answers(questionnaire, columns, cells):
        previous = stored.get(cell.code)
        revision = previous.revision if previous else 0
        if seen is not None:
            kept = seen.get(cell.code, 0)
            revision = kept if isinstance(kept, int) else -1  # never a revision: refused as changed
        revisions[cell.code] = revision
        # Keep what the form does not ask (comment, link) and base the save on the revision the check saw.
        given = replace(cell.given, comment=previous.comment if previous else "",
                        evidence_url=previous.evidence_url if previous else "", revision=revision)
        try:
            level, value, na, _comment, _url = answering.validate(questionnaire, cell.code, given)
        except InvalidAnswer as problem:
            report.problems.append(Problem(number, cell.header, cell.text, _why(problem.message)))
            continue
        indicator = questionnaire.indicator(cell.code)
        raw[cell.code] = None if na else decode(indicator, level, value)
        checked.append((cell, given))
        if previous is not None and (previous.level is not None or previous.value is not None or previous.not_applicable) \
                and (previous.level, previous.value, previous.not_applicable) != (level, value, na):
            replaced += 1
    for cell, _given in checked:
        indicator = questionnaire.indicator(cell.code)
        if not shown(indicator, raw, questionnaire.indicator):
            report.problems.append(Problem(number, cell.header, cell.text, _(
                "This question is not asked given this row's answer to %(code)s, so it cannot be answered.",
                code=indicator.show_if.code)))
    return None if len(report.problems) > before else (checked, replaced, revisions)


def _save(actor: Any, report: Report, planned: list[_Planned], questionnaire: Questionnaire, rubric,
          round_: AssessmentRound, track: Track) -> None:
    """Save every planned answer in one savepoint, and record the import; a conflict saves nothing."""
    try:
        with db.session.begin_nested():
            for one in planned:
                assessment = answering.get_or_create_assessment(one.organisation, round_, track, questionnaire, rubric)
                if not _still_draft(assessment):
                    report.problems.append(Problem(one.row, "", one.organisation.code, _(
                        "Its assessment on this track was submitted while the file was being imported, so nothing "
                        "was saved. Reopen it on the web first, or import another track.")))
                    raise _Refused
                for cell, given in one.cells:
                    answering.save_answer(actor, assessment, questionnaire, cell.code, given)
                # On the assessment too, so that its history page says where its answers came from (only this
                # organisation's figures: the file's other organisations are not this page's business).
                audit.record(actor, "submissions.import", "assessment", assessment.id,
                             organisation_id=one.organisation.id, after={
                                 "file": report.filename, "sha256": report.sha256, "track": track.value,
                                 "answers": len(one.cells)})
            audit.record(actor, "submissions.import", "round", round_.code, after={
                "file": report.filename, "sha256": report.sha256, "round": round_.code, "track": track.value,
                "rows": report.rows, "organisations": [m.code for m in report.organisations],
                "answers": report.answers})
    except _Refused:
        return
    except (answering.StaleAnswer, InvalidAnswer) as problem:
        # Someone saved one of these answers on the web since the file was checked: nothing is saved, and the
        # answer saved on the web is not overwritten unseen.
        code = getattr(getattr(problem, "current", None), "indicator_code", "") or getattr(problem, "field", "")
        report.problems.append(Problem(None, code, "", _(
            "An answer was saved on the web after the file was checked, so nothing was imported (it would have "
            "been overwritten unseen). Check the file again, then import it.")))
        return
    report.applied = True


class _Refused(Exception):
    """Leave the savepoint: a problem found while saving is in the report already."""


def _still_draft(assessment: Assessment) -> bool:
    """Whether the assessment is still a draft, made sure of in the database: a conditional UPDATE takes the row's
    lock (PostgreSQL re-reads the row if a submit committed meanwhile), so a submit racing the import is seen."""
    done = db.session.execute(sa.update(Assessment).where(Assessment.id == assessment.id,
                                                          Assessment.status == Status.DRAFT)
                              .values(updated_at=utcnow()).execution_options(synchronize_session=False))
    return done.rowcount == 1
