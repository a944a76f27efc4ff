"""``python -m aim`` runs the ``aim`` program."""

from aim.cli.program import main

main()
