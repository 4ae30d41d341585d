"""The small questionnaire and rubric of questionnaires/README.md, for tests to load and break."""
from __future__ import annotations

import re
from pathlib import Path

from capacity.questionnaires.library import DEFAULT_DIRECTORY, load_files

README = DEFAULT_DIRECTORY / "README.md"


def readme_examples() -> tuple[str, str]:
    """(questionnaire YAML, rubric YAML) from the README's complete small example."""
    blocks = re.findall(r"```yaml\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    questionnaire = next(b for b in blocks if b.startswith("id: mini\n"))
    rubric = next(b for b in blocks if b.startswith("id: mini-default\n"))
    return questionnaire, rubric


QUESTIONNAIRE, RUBRIC = readme_examples()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(tmp_path: Path, questionnaire: str = QUESTIONNAIRE, rubric: str | None = RUBRIC) -> list[str]:
    paths = [write(tmp_path, "q.yaml", questionnaire)]
    if rubric is not None:
        paths.append(write(tmp_path, "r.yaml", rubric))
    _, problems = load_files(paths)
    return [str(p).replace(str(tmp_path) + "/", "") for p in problems]


def line_of(text: str, fragment: str, occurrence: int = 1) -> int:
    """1-based line number of the ``occurrence``-th line containing ``fragment``."""
    hits = [i + 1 for i, line in enumerate(text.splitlines()) if fragment in line]
    return hits[occurrence - 1]
