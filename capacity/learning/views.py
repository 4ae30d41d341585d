"""Learning resources pages (being written)."""
from flask import Blueprint

bp = Blueprint("learning", __name__)
