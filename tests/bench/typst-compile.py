#!/usr/bin/env python3
"""The Typst peer as one process: compile IN.typ to OUT.pdf with the fonts in FONT_DIR.

usage: typst-compile.py IN.typ OUT.pdf FONT_DIR
       typst-compile.py --import-only     (interpreter start and loading the compiler, no work)

Typst comes from the PyPI package `typst`, which bundles the compiler as a native module; this
wrapper is the smallest process that runs it. run.sh times the --import-only form too, so the
interpreter's share of the Typst figure is visible.
"""
import sys

import typst

if __name__ == "__main__":
    if sys.argv[1:] == ["--import-only"]:
        sys.exit(0)
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    typst.compile(sys.argv[1], output=sys.argv[2], font_paths=[sys.argv[3]])
