"""``python3 -m tests.golden --update``: write the golden files afresh (review the diff)."""

import sys
import tempfile
from pathlib import Path

from . import update

if sys.argv[1:] != ["--update"]:
    raise SystemExit("usage: python3 -m tests.golden --update   (rewrites tests/golden/*/ from the current code)")
with tempfile.TemporaryDirectory() as tmp:
    update(Path(tmp))
