"""A portfolio with no active organisation (a new deployment, or all set inactive) prints, and says why it is empty."""
from __future__ import annotations

import subprocess

from tests.conftest import login
from tests.reporting.pdftext import covered


def test_a_round_without_active_organisations_prints_a_portfolio_that_says_so(app, factory, tmp_path):
    factory.round("baseline")
    factory.org("TEL-09", active=False)  # the only organisation left the programme
    manager = factory.user("manager")
    client = app.test_client()
    login(client, manager)
    for language, sentence in (("en", "No organisation is active in the programme"),
                               ("ka", "პროგრამაში აქტიური ორგანიზაცია არ არის")):
        response = client.get(f"/rounds/baseline/portfolio.pdf?lang={language}")
        assert response.status_code == 200 and response.data.startswith(b"%PDF"), response.status_code
        path = tmp_path / f"portfolio-{language}.pdf"
        path.write_bytes(response.data)
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        assert sentence in " ".join(text.split()), text[:2000]
        assert "TEL-09" not in text  # an inactive organisation is not in the portfolio
        assert sorted({c for c in text if not c.isspace() and ord(c) not in covered()}) == []
