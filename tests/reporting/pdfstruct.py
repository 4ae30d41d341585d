"""Reading a tagged PDF as a screen reader does: its catalogue, structure tree and the text under each element.

The tree and its attributes (alternative text, header cells) come from pypdf; the text
under each element from poppler's ``pdfinfo -struct-text``, which resolves the marked
content that pypdf leaves as numbers.
"""
from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader


@dataclass
class Element:
    """One structure element: its tag (H1, Table, TH, Figure…), /Alt, /ID and, for cells, the /Headers it points to."""

    tag: str
    alt: str | None = None
    id: str | None = None
    headers: list[str] | None = None
    children: list[Element] = field(default_factory=list)

    def walk(self) -> Iterator[Element]:
        yield self
        for child in self.children:
            yield from child.walk()

    def all(self, tag: str) -> list[Element]:
        return [e for e in self.walk() if e.tag == tag]


@dataclass
class Tagged:
    lang: str | None
    marked: bool
    title: str | None
    displays_title: bool
    xmp: str
    root: Element | None


def _attributes(element) -> dict:
    owned = element.get("/A")
    if owned is None:
        return {}
    owned = owned.get_object()
    merged: dict = {}
    for item in owned if isinstance(owned, list) else [owned]:
        item = item.get_object()
        if hasattr(item, "items"):
            merged.update(item)
    return merged


def _element(node) -> Element:
    node = node.get_object()
    attributes = _attributes(node)
    headers = attributes.get("/Headers")
    result = Element(tag=str(node["/S"])[1:], alt=str(node["/Alt"]) if "/Alt" in node else None,
                     id=str(node["/ID"]) if "/ID" in node else None,
                     headers=[str(h) for h in headers] if headers is not None else None)
    kids = node.get("/K")
    if kids is not None:
        kids = kids.get_object()
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if hasattr(kid, "keys") and "/S" in kid:  # not a marked-content number nor an object reference
                result.children.append(_element(kid))
    return result


def read(path: Path) -> Tagged:
    reader = PdfReader(path)
    catalog = reader.trailer["/Root"]
    mark_info = catalog.get("/MarkInfo")
    tree = catalog.get("/StructTreeRoot")
    root = None
    if tree is not None:
        root = Element(tag="StructTreeRoot")
        kids = tree.get_object()["/K"].get_object()
        root.children = [_element(kid) for kid in (kids if isinstance(kids, list) else [kids])]
    preferences = catalog.get("/ViewerPreferences")
    metadata = catalog.get("/Metadata")
    return Tagged(lang=str(catalog["/Lang"]) if "/Lang" in catalog else None,
                  marked=bool(mark_info and mark_info.get_object().get("/Marked")),
                  title=str(reader.metadata.get("/Title")) if reader.metadata else None,
                  displays_title=bool(preferences and preferences.get_object().get("/DisplayDocTitle")),
                  xmp=metadata.get_object().get_data().decode() if metadata is not None else "",
                  root=root)


def texts_under(path: Path, tag: str) -> list[str]:
    """The text of each element tagged ``tag`` (e.g. "H2"), in reading order, as ``pdfinfo -struct-text`` gives it."""
    out = subprocess.run(["pdfinfo", "-struct-text", str(path)], capture_output=True, text=True, check=True).stdout
    found, depth, parts = [], None, []
    for line in out.splitlines():
        indent = len(line) - len(line.lstrip())
        if depth is not None and indent <= depth:
            found.append("".join(parts))
            depth, parts = None, []
        if depth is None and re.fullmatch(rf"{tag}( \(\w+\))?:?", line.strip()):
            depth = indent
        elif depth is not None and line.strip().startswith('"'):
            parts.append(line.strip()[1:-1])
    if depth is not None:
        found.append("".join(parts))
    return found
