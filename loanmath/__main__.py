"""``python -m loanmath`` runs the command line."""

from loanmath.cli import main_entry

main_entry()
