"""Entry point of the standalone build (PyInstaller runs this file as a script, so it cannot be
the package's own __main__, whose imports are relative)."""

import multiprocessing
import sys

from inspector_app.__main__ import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # photo import workers re-enter this executable
    sys.exit(main())
