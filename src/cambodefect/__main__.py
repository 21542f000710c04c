"""``python -m cambodefect`` runs the command-line interface."""

from cambodefect.cli import main

main()
