"""Evidence files live in their rows: nothing left after a failed request, nothing on any server's disk;
removal from the page, audited."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from capacity.assessments import evidence
from capacity.assessments.models import EvidenceFile
from capacity.audit.models import AuditEvent
from capacity.extensions import db
from tests.assessments.helpers import BASE, client_for, people  # noqa: F401  (fixture)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOMAIN = f"{BASE}/self/GOV"


def upload(client, name: str = "policy.pdf", data: bytes = PDF):
    return client.post(f"{BASE}/self/evidence/GOV.01", data={"file": (io.BytesIO(data), name)},
                       headers={"Accept": "application/json"}, content_type="multipart/form-data")


def files_on_disk(app) -> list[str]:
    folder = Path(app.instance_path) / "evidence"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def rows(app) -> list[EvidenceFile]:
    with app.app_context():
        return list(db.session.scalars(sa.select(EvidenceFile)))


def contents(app) -> list[bytes]:
    with app.app_context():
        return list(db.session.scalars(sa.select(EvidenceFile.content).order_by(EvidenceFile.id)))


def test_an_upload_whose_request_fails_after_storing_leaves_no_file(app, people, monkeypatch):
    cso = client_for(app, people["cso"])

    def audit_down(*_args, **_kwargs):
        raise RuntimeError("the audit log is unavailable")

    # The file is stored, then the request fails before its commit: the transaction rolls back.
    monkeypatch.setattr(evidence.audit, "record", audit_down)
    with pytest.raises(RuntimeError):
        upload(cso)
    assert rows(app) == [] and files_on_disk(app) == []
    monkeypatch.undo()
    stored = upload(cso)
    assert stored.status_code == 200
    assert contents(app) == [PDF] and files_on_disk(app) == []  # in its row; the instance folder holds nothing
    download = cso.get(stored.json["url"])
    assert download.status_code == 200 and download.data == PDF
    assert 'filename=policy.pdf' in download.headers["Content-Disposition"]


def test_a_file_stored_in_a_transaction_that_rolls_back_is_gone_with_it(app, people):
    from capacity.auth.models import User
    from capacity.assessments.models import Answer

    upload(client_for(app, people["cso"]))  # makes the answer row the second file is stored for
    with app.app_context():
        answer = db.session.scalars(sa.select(Answer)).first()
        actor = db.session.scalar(sa.select(User).where(User.email == people["cso"]))
        evidence.store(actor, answer, "second.pdf", io.BytesIO(PDF + b"second"))
        db.session.rollback()
    assert contents(app) == [PDF] and files_on_disk(app) == []


def test_the_domain_page_removes_a_file_without_scripts_and_the_removal_is_audited(app, people):
    cso = client_for(app, people["cso"])
    uploaded = upload(cso).json
    file_id = uploaded["id"]
    assert uploaded["remove"] == f"/evidence/{file_id}/delete"  # the script adds the same button after an upload
    page = cso.get(DOMAIN).get_data(as_text=True)
    # A "Remove" button beside the file, submitting its own form (forms cannot nest) with a CSRF token.
    assert f'form="evidence-delete-{file_id}"' in page
    form = re.search(rf'<form id="evidence-delete-{file_id}" method="post" action="([^"]+)"[^>]*>\s*'
                     r'<input type="hidden" name="csrf_token"', page)
    assert form and form.group(1) == f"/evidence/{file_id}/delete"
    removed = cso.post(form.group(1))
    assert removed.status_code == 302 and removed.location.endswith("#ind-GOV.01")
    assert rows(app) == []
    with app.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "evidence.delete"))
        assert event is not None and event.before == {"file": "policy.pdf"}
    assert f"evidence-delete-{file_id}" not in cso.get(DOMAIN).get_data(as_text=True)


def test_a_removal_that_is_rolled_back_keeps_the_file(app, people):
    cso = client_for(app, people["cso"])
    url = upload(cso).json["url"]
    with app.app_context():
        record = db.session.scalars(sa.select(EvidenceFile)).one()
        evidence.remove(None, record)
        db.session.rollback()
    assert contents(app) == [PDF] and cso.get(url).data == PDF


def test_only_those_who_may_edit_the_track_can_remove_a_file(app, people):
    file_id = upload(client_for(app, people["cso"])).json["id"]
    assert client_for(app, people["other_cso"]).post(f"/evidence/{file_id}/delete").status_code == 404
    assert client_for(app, people["manager"]).post(f"/evidence/{file_id}/delete").status_code in (403, 404)
    assert contents(app) == [PDF]
    assert "evidence-delete-" not in client_for(app, people["manager"]).get(DOMAIN).get_data(as_text=True)


def test_removing_a_file_needs_the_csrf_token(app, people):
    cso = client_for(app, people["cso"])
    file_id = upload(cso).json["id"]
    app.config["WTF_CSRF_ENABLED"] = True
    assert cso.post(f"/evidence/{file_id}/delete").status_code == 400
    assert contents(app) == [PDF]


def test_a_name_that_disguises_its_extension_is_stored_without_the_bidi_override(app, people):
    cso = client_for(app, people["cso"])
    stored = upload(cso, name="report\u202efdp.exe.pdf")
    assert stored.status_code == 200 and stored.json["name"] == "reportfdp.exe.pdf"
    assert "\u202e" not in cso.get(stored.json["url"]).headers["Content-Disposition"]


def test_a_file_stored_with_a_line_break_in_its_name_still_downloads(app, people):
    cso = client_for(app, people["cso"])
    url = upload(cso).json["url"]
    with app.app_context():  # as an upload before names were checked could have left it
        db.session.execute(sa.update(EvidenceFile).values(filename="a\r\nb.pdf"))
        db.session.commit()
    download = cso.get(url)
    assert download.status_code == 200 and download.data == PDF
    assert "filename=ab.pdf" in download.headers["Content-Disposition"]
