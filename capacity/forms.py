"""Form fields shared by several features."""
from __future__ import annotations

from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes: keyboard- and screen-reader-friendly, unlike a multiple <select>."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
