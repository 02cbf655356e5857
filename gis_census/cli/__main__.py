"""`python -m gis_census.cli`."""

import sys

from gis_census.cli import main

if __name__ == "__main__":
    sys.exit(main())
