"""New passwords: long enough, not a well-known one, not the e-mail address."""
from __future__ import annotations

import pytest
from flask_babel import force_locale
import sqlalchemy as sa

from capacity.auth.models import User
from capacity.extensions import db
from capacity.users import services
from tests.conftest import login
from tests.users.test_user_admin import admin_client


def new_user(client, password: str, email: str = "nino.beridze@example.org"):
    return client.post("/admin/users/new", data={
        "email": email, "display_name": "Nino", "role": "manager", "language": "en", "password": password,
    })


@pytest.mark.parametrize("password", [
    "eleven char",            # too short
    "qwerty123456",           # long, but among the most common passwords
    "Nino.Beridze",           # the e-mail's local part
    "nino.beridze@example.org",  # the e-mail itself
])
def test_weak_passwords_are_refused_beside_the_field(app, factory, password):
    client = admin_client(app, factory)
    client.post("/language", data={"language": "en", "next": "/"})
    response = new_user(client, password)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="password-error"' in page
    assert login(app.test_client(), "nino.beridze@example.org", password).status_code == 200  # no such account


def test_the_refusal_says_why(app):
    with app.test_request_context(), force_locale("en"):
        for password, words in [("qwerty123456", "most common"), ("nino.beridze", "e-mail address"),
                                ("short", "at least 12 characters")]:
            with pytest.raises(services.UserProblem) as problem:
                services.check_password_rules(password, "nino.beridze@example.org")
            assert words in str(problem.value.message)


def test_a_passphrase_of_ordinary_words_is_accepted(app, factory):
    client = admin_client(app, factory)
    assert new_user(client, "river bread window").status_code == 302
    assert login(app.test_client(), "nino.beridze@example.org", "river bread window").status_code == 302


def test_an_administrator_setting_a_common_password_is_told_why(app, factory):
    email = factory.user("mentor")
    client = admin_client(app, factory)
    response = client.post(f"/admin/users/{factory.user_id(email)}/password",
                           data={"password": "1qaz2wsx3edc", "confirm": "1qaz2wsx3edc"})
    assert response.status_code == 200 and 'id="password-error"' in response.get_data(as_text=True)
    assert login(app.test_client(), email, "1qaz2wsx3edc").status_code == 200


def test_the_command_line_refuses_a_short_password(app, runner):
    from capacity.cli import cli

    result = runner.invoke(cli, ["user", "create", "--email", "cli@example.org", "--role", "manager",
                                 "--password", "only11chars"])
    assert result.exit_code != 0 and "--password" in result.output and "12" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0
