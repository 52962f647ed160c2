"""Edit workbooks in a real LibreOffice through Python-UNO, then save them as xlsx.

Run with the Python that has ``uno`` (Debian's /usr/bin/python3), not the project's:

    /usr/bin/python3 tests/uno_driver.py jobs.json

``jobs.json`` is a list of {"in": path, "out": path, "ops": [[op, args...], ...]}. One
soffice process, with a private profile and a named pipe, serves every job. Ops:

    ["string", sheet, "E11", text]        type a text into a cell
    ["number", sheet, "E11", 0.9, "0%"]   type a number, with a number format
    ["insert_rows", sheet, row, count]    insert rows before 1-based row
    ["delete_rows", sheet, row, count]
    ["unmerge_fill", sheet, "B11:B18"]    unmerge, and fill every cell with the label
    ["rename", sheet, new_name]
    ["move", sheet, position]             0-based position among the sheets
    ["add_sheet", name, position, "A1", text]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import uuid

import uno  # provided by python3-uno (Debian)
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def url(path):
    return uno.systemPathToFileUrl(os.path.abspath(path))


def connect(soffice):
    profile = tempfile.mkdtemp(prefix="sheetsync-lo-")
    pipe = "sheetsync" + uuid.uuid4().hex[:12]
    proc = subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation={url(profile)}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.time() + 90
    while True:
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except NoConnectException:
            if time.time() > deadline or proc.poll() is not None:
                proc.kill()
                raise SystemExit("LibreOffice did not start") from None
            time.sleep(0.3)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    return proc, desktop


def number_format(doc, code):
    formats = doc.NumberFormats
    locale = uno.createUnoStruct("com.sun.star.lang.Locale")
    key = formats.queryKey(code, locale, False)
    if key == -1:
        key = formats.addNew(code, locale)
    return key


def apply(doc, op):
    sheets = doc.Sheets
    kind, args = op[0], op[1:]
    if kind == "string":
        sheets.getByName(args[0]).getCellRangeByName(args[1]).setString(args[2])
    elif kind == "number":
        cell = sheets.getByName(args[0]).getCellRangeByName(args[1])
        cell.setValue(args[2])
        if len(args) > 3:
            cell.NumberFormat = number_format(doc, args[3])
    elif kind == "insert_rows":
        sheets.getByName(args[0]).Rows.insertByIndex(args[1] - 1, args[2])
    elif kind == "delete_rows":
        sheets.getByName(args[0]).Rows.removeByIndex(args[1] - 1, args[2])
    elif kind == "unmerge_fill":
        rng = sheets.getByName(args[0]).getCellRangeByName(args[1])
        label = rng.getCellByPosition(0, 0).getString()
        rng.merge(False)
        cols, rows = rng.Columns.Count, rng.Rows.Count
        for r in range(rows):
            for c in range(cols):
                rng.getCellByPosition(c, r).setString(label)
    elif kind == "rename":
        sheets.getByName(args[0]).Name = args[1]
    elif kind == "move":
        sheets.moveByName(args[0], args[1])
    elif kind == "add_sheet":
        sheets.insertNewByName(args[0], args[1])
        sheets.getByName(args[0]).getCellRangeByName(args[2]).setString(args[3])
    else:
        raise SystemExit(f"unknown op {kind}")


def main():
    jobs = json.load(open(sys.argv[1], encoding="utf-8"))
    soffice = os.environ.get("SOFFICE", "soffice")
    proc, desktop = connect(soffice)
    try:
        for job in jobs:
            doc = desktop.loadComponentFromURL(url(job["in"]), "_blank", 0, (prop("Hidden", True),))
            try:
                for op in job["ops"]:
                    apply(doc, op)
                doc.storeToURL(url(job["out"]), (prop("FilterName", "Calc MS Excel 2007 XML"),))
            finally:
                doc.close(True)
    finally:
        try:
            desktop.terminate()
        except Exception:
            pass
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    main()
