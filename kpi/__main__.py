"""``python -m kpi``: the command line (see :mod:`kpi.cli`)."""

import sys

from kpi.cli import main

if __name__ == "__main__":
    sys.exit(main())
