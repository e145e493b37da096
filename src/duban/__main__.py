"""``python -m duban`` runs the command line."""

from duban.cli import app

app()
