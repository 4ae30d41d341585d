"""Writing what the XLSForm commands produce: checked paths, never half a file, never an existing file unasked."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def output_problem(path: Path, suffixes: tuple[str, ...], *, replace: bool) -> str | None:
    """Why ``path`` cannot receive the output (wrong kind of name, a folder, a missing folder, an existing file)."""
    if path.is_dir():
        return f"{path} is a folder; give the name of the file to write"
    if path.suffix.lower() not in suffixes:
        # a questionnaire written over a workbook (or the reverse) would destroy it: the suffix says which it is
        return f"{path}: the file to write must end in {' or '.join(suffixes)}"
    if not path.parent.is_dir():
        return f"the folder {path.parent} does not exist; create it first or write elsewhere"
    if path.exists() and not replace:
        return f"{path} exists; give another name, or --force to replace it"
    return None


def write_file(path: Path, data: bytes, *, replace: bool) -> str | None:
    """Writes ``data`` to ``path`` whole or not at all; None, or why it could not (nothing is left behind)."""
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    except OSError as error:
        return f"cannot write in {path.parent}: {error.strerror}"
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o644)
        if replace:
            os.replace(temporary, path)
        else:
            _link(temporary, path, data)
        return None
    except FileExistsError:
        return f"{path} exists; give another name, or --force to replace it"
    except OSError as error:
        return f"cannot write {path}: {error.strerror}"
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _link(temporary: str, path: Path, data: bytes) -> None:
    """Puts the written file at ``path`` unless something is there already (FileExistsError then)."""
    try:
        os.link(temporary, path)  # atomic, and fails if the file appeared meanwhile
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: create exclusively instead
        with open(path, "xb") as out:
            out.write(data)


def library_problems(folder: Path, target: Path, text: str) -> list[str]:
    """What the questionnaire library of ``folder`` would refuse once ``text`` is written as ``target`` and does not
    refuse now (a crosswalk from a version the folder lacks, a rubric that no longer fits): writing such a file would
    stop every command and the app from loading the folder."""
    from capacity.questionnaires.library import load_files, yaml_files

    present = yaml_files(folder) if folder.is_dir() else []
    _, before = load_files(present)
    with tempfile.TemporaryDirectory() as scratch:
        written = Path(scratch) / target.name
        written.write_text(text, encoding="utf-8")
        others = [path for path in present if path.resolve() != target.resolve()]
        _, after = load_files(others + [written])
        known = {str(problem) for problem in before}
        return [str(problem).replace(str(written), str(target)) for problem in after
                if str(problem).replace(str(written), str(target)) not in known]
