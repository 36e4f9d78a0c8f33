"""``python -m analysis <command>``: see ``python -m analysis --help``."""
import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
