"""``python -m dealcheck``: the same as the ``dealcheck`` command."""

from dealcheck.cli import main

main()
