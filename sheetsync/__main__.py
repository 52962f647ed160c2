#!/usr/bin/env python3
"""python -m sheetsync: the command line."""

from .cli import main

main()
