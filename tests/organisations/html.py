"""A small HTML tree for reading the admin pages in tests: what a person sees, not substrings of markup."""
from __future__ import annotations

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Node | None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    @property
    def text(self) -> str:
        """The text inside, with runs of white space made one space."""
        parts = [c if isinstance(c, str) else c.text for c in self.children]
        return " ".join("".join(parts).split())

    def all(self, tag: str | None = None, **attrs: str | None) -> list[Node]:
        """Every descendant with this tag (any, if None) whose attributes have these values (None: present)."""
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if (tag is None or child.tag == tag) and all(
                    key.rstrip("_").replace("_", "-") in child.attrs
                    and (value is None or child.attrs[key.rstrip("_").replace("_", "-")] == value)
                    for key, value in attrs.items()
                ):
                    found.append(child)
                found.extend(child.all(tag, **attrs))
        return found

    def one(self, tag: str | None = None, **attrs: str | None) -> Node:
        found = self.all(tag, **attrs)
        assert len(found) == 1, f"expected one <{tag} {attrs}>, found {len(found)}"
        return found[0]

    def has_ancestor(self, node: Node) -> bool:
        parent = self.parent
        while parent is not None:
            if parent is node:
                return True
            parent = parent.parent
        return False


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, dict(attrs), self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str) -> Node:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


def selected(select: Node) -> list[str]:
    """The values of a <select>'s chosen options, as the browser shows them.

    A single <select> with no option marked ``selected`` shows (and sends) its first option.
    """
    options = select.all("option")
    chosen = [o.attrs.get("value", "") for o in options if "selected" in o.attrs]
    if not chosen and "multiple" not in select.attrs and options:
        chosen = [options[0].attrs.get("value", "")]
    return chosen


def main_text(page: Node) -> str:
    return page.one("main").text
