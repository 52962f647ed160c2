"""A plugin's only duty: name the folder that holds its template specs."""

from pathlib import Path

SPECS = str(Path(__file__).parent / "specs")
