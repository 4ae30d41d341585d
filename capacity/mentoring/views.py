"""Mentoring log pages (being written)."""
from flask import Blueprint

bp = Blueprint("mentoring", __name__)
