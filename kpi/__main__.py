"""``python -m kpi``: the command line (see :mod:`kpi.cli`)."""

import sys

from kpi.cli import main
from kpi.cli.console import run_quietly

if __name__ == "__main__":
    sys.exit(run_quietly(main))
