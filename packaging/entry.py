"""Entry point of the frozen app (PyInstaller): the same `jsd-desk` as the wheel's script."""

import sys

from jsd_desk.cli import main

if __name__ == "__main__":
    sys.exit(main())
