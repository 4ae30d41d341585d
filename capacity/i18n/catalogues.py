"""Keeping the message catalogues complete.

English is the source language: its catalogue repeats each message, so that
"every msgstr is filled" is a single rule for both languages.
"""
from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po


def fill_source_language(po_path: Path) -> int:
    """Copy each msgid into its empty msgstr (English catalogue); return how many were filled."""
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            if not any(message.string):
                message.string = tuple(message.id)
                filled += 1
        elif not message.string:
            message.string = message.id
            filled += 1
        message.flags.discard("fuzzy")
    with po_path.open("wb") as handle:
        write_po(handle, catalog, sort_by_file=True)
    return filled


def untranslated(po_path: Path) -> list[str]:
    """The msgids of ``po_path`` that have no translation (or only a fuzzy one)."""
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        print(f"{arg}: filled {fill_source_language(Path(arg))}")
