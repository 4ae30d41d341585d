"""What a plan write refuses with: a closed plan, bad input (naming the field), the words to reload."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

RELOAD = _l("Please reload the page: nothing was saved.")


class PlanNotOpen(RuntimeError):
    """No plan can be written: the round's result is not final (``not_final``) or its definitions cannot be read."""

    def __init__(self, message: Any, *, not_final: bool = False):
        super().__init__(str(message))
        self.message, self.not_final = message, not_final


class InvalidPlanInput(ValueError):
    def __init__(self, field: str, message: Any):
        super().__init__(str(message))
        self.field, self.message = field, message
