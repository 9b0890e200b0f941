"""Entry point for `python -m doctpl`."""

from doctpl.cli import main

main()
