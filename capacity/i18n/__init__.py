"""Language: Georgian by default, English on request, remembered per user."""
from capacity.i18n.views import bp

__all__ = ["bp"]
