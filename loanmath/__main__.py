"""``python -m loanmath`` runs the command line."""

import sys

from loanmath.cli import main

sys.exit(main())
