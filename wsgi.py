"""Gunicorn entry point."""

from midas import create_app

app = create_app()
