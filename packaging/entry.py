"""Entry point of the frozen app (PyInstaller): the same `jsd-desk` as the wheel's script."""

import multiprocessing
import sys

from jsd_desk.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # verify's worker processes start the frozen app again
    sys.exit(main())
