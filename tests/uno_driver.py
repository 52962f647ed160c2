"""Edit workbooks in a real LibreOffice through Python-UNO, then save them as xlsx.

Run with the Python that has ``uno`` (Debian's /usr/bin/python3), not the project's:

    /usr/bin/python3 tests/uno_driver.py jobs.json
    /usr/bin/python3 tests/uno_driver.py --serve    # one JSON list of jobs a line on stdin

``jobs.json`` is a list of {"in": path, "out": path, "ops": [[op, args...], ...]}. One
soffice process, with a private profile and a named pipe, serves every job. With ``--serve``
the process stays up: it prints ``ready``, then answers each line of jobs with one line of
JSON (``{"ok": true}`` or ``{"error": ...}``), so a test session starts LibreOffice once.
Ops:

    ["string", sheet, "E11", text]        type a text into a cell
    ["number", sheet, "E11", 0.9, "0%"]   type a number, with a number format
    ["insert_rows", sheet, row, count]    insert rows before 1-based row
    ["delete_rows", sheet, row, count]
    ["unmerge_fill", sheet, "B11:B18"]    unmerge, and fill every cell with the label
    ["rename", sheet, new_name]
    ["move", sheet, position]             0-based position among the sheets
    ["add_sheet", name, position, "A1", text]
    ["copy_sheet", sheet, new_name, position]
    ["unmerge", sheet, "B11:B18"]         unmerge, leaving the hidden cells blank
    ["merge", sheet, "C11:C14"]           merge, emptying the cells it hides (first one kept)
    ["fill", sheet, "B11:B14", text]      type the text into every cell of the range
    ["clear", sheet, "D11:E11"]           empty the cells
    ["move_range", sheet, "D12:E12", "D20"]   cut the cells and paste them at the cell
    ["copy_range", sheet, "D12:E12", "D20"]
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
    elif kind == "unmerge":
        sheets.getByName(args[0]).getCellRangeByName(args[1]).merge(False)
    elif kind == "merge":
        rng = sheets.getByName(args[0]).getCellRangeByName(args[1])
        for r in range(rng.Rows.Count):
            for c in range(rng.Columns.Count):
                if (r, c) != (0, 0):
                    rng.getCellByPosition(c, r).setString("")
        rng.merge(True)
    elif kind == "fill":
        rng = sheets.getByName(args[0]).getCellRangeByName(args[1])
        for r in range(rng.Rows.Count):
            for c in range(rng.Columns.Count):
                rng.getCellByPosition(c, r).setString(args[2])
    elif kind == "clear":
        sheets.getByName(args[0]).getCellRangeByName(args[1]).clearContents(1 | 2 | 4 | 16)
    elif kind in ("move_range", "copy_range"):
        sheet = sheets.getByName(args[0])
        source = sheet.getCellRangeByName(args[1]).RangeAddress
        target = sheet.getCellRangeByName(args[2]).CellAddress
        (sheet.moveRange if kind == "move_range" else sheet.copyRange)(target, source)
    elif kind == "copy_sheet":
        sheets.copyByName(args[0], args[1], args[2])
    elif kind == "rename":
        sheets.getByName(args[0]).Name = args[1]
    elif kind == "move":
        sheets.moveByName(args[0], args[1])
    elif kind == "add_sheet":
        sheets.insertNewByName(args[0], args[1])
        sheets.getByName(args[0]).getCellRangeByName(args[2]).setString(args[3])
    else:
        raise SystemExit(f"unknown op {kind}")


def run(desktop, jobs):
    for job in jobs:
        doc = desktop.loadComponentFromURL(url(job["in"]), "_blank", 0, (prop("Hidden", True),))
        try:
            for op in job["ops"]:
                apply(doc, op)
            doc.calculateAll()
            doc.storeToURL(url(job["out"]), (prop("FilterName", "Calc MS Excel 2007 XML"),))
        finally:
            doc.close(True)


def serve(desktop):
    print("ready", flush=True)
    for line in sys.stdin:
        try:
            run(desktop, json.loads(line))
            answer = {"ok": True}
        except Exception as e:  # the test gets the failure; the server stays up for the next
            answer = {"error": f"{type(e).__name__}: {e}"}
        print(json.dumps(answer), flush=True)


def main():
    soffice = os.environ.get("SOFFICE", "soffice")
    proc, desktop = connect(soffice)
    try:
        if sys.argv[1] == "--serve":
            serve(desktop)
        else:
            run(desktop, json.load(open(sys.argv[1], encoding="utf-8")))
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
