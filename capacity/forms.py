"""Form fields shared by several features."""
from __future__ import annotations

from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

from capacity.parsing import ascii_int


def row_id(value: int | str) -> int:
    """``coerce`` for choices that are row ids: 1–9 ASCII digits (``int`` would also take "٣" and "1_000")."""
    number = value if isinstance(value, int) else ascii_int(value)
    if number is None:
        raise ValueError(value)
    return number


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes: keyboard- and screen-reader-friendly, unlike a multiple <select>."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
