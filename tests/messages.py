"""The message catalogue: every ``_()``/``N_()``/``ngettext()`` text of the package, and the
Chinese ``.po`` that translates them.

``python3 -m tests.messages --update`` rewrites the ``.po`` in source order (keeping every
translation, adding new texts with an empty ``msgstr``, dropping texts no longer in the source)
and compiles the ``.mo`` with ``msgfmt`` (apt: gettext).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "sheetsync"
PO = PACKAGE / "locale" / "zh_CN" / "LC_MESSAGES" / "sheetsync.po"
MO = PO.with_suffix(".mo")
HEADER = (
    "Project-Id-Version: sheetsync\\n"
    "PO-Revision-Date: 2026-11-30 00:00+0000\\n"
    "Last-Translator: sheetsync\\n"
    "Language-Team: sheetsync\\n"
    "Language: zh_CN\\n"
    "MIME-Version: 1.0\\n"
    "Content-Type: text/plain; charset=UTF-8\\n"
    "Content-Transfer-Encoding: 8bit\\n"
    "Plural-Forms: nplurals=1; plural=0;\\n"
)


@dataclass
class Entry:
    msgid: str
    plural: str | None = None
    msgstr: list[str] = field(default_factory=lambda: [""])
    where: list[str] = field(default_factory=list)


def _text(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def extract() -> dict[str, Entry]:
    """Every marked text of the package, by msgid, in source order, with where it is."""
    out: dict[str, Entry] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        calls = [n for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(n, ast.Call)]
        for node in sorted(calls, key=lambda n: (n.lineno, n.col_offset)):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in ("_", "N_"):
                msgid, plural = _text(node.args[0]), None
            elif name == "ngettext" and len(node.args) == 3:
                msgid, plural = _text(node.args[0]), _text(node.args[1])
            else:
                continue
            if isinstance(node.args[0], ast.JoinedStr | ast.BinOp):  # translate the whole, then format it
                raise ValueError(f"{rel}:{node.lineno}: {name}() of an f-string or a sum; use placeholders")
            if msgid is None:
                continue  # a text marked with N_ where it is defined, translated here
            entry = out.setdefault(msgid, Entry(msgid, plural))
            entry.where.append(f"{rel}:{node.lineno}")
    return out


def _unquote(line: str) -> str:
    return ast.literal_eval(line)  # a .po string is a C string; these are Python-compatible


def read_po(path: Path = PO) -> dict[str, Entry]:
    """The entries of a .po file (the header left out), by msgid."""
    entries: dict[str, Entry] = {}
    current: Entry | None = None
    key = ""
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line or line.startswith("#"):
            if current is not None and current.msgid:
                entries[current.msgid] = current
            current = None if not line else current
            continue
        word, _, rest = line.partition(" ")
        if line.startswith('"'):
            value = _unquote(line)
        else:
            key, value = word, _unquote(rest)
            if key == "msgid":
                current = Entry("", None, [])
        assert current is not None, raw
        if key == "msgid":
            current.msgid += value
        elif key == "msgid_plural":
            current.plural = (current.plural or "") + value
        elif key.startswith("msgstr"):
            index = int(key[7:-1]) if "[" in key else 0
            while len(current.msgstr) <= index:
                current.msgstr.append("")
            current.msgstr[index] += value
    return entries


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{escaped}"'


def write_po(entries: list[Entry], path: Path = PO) -> None:
    lines = ["# Chinese (Simplified) messages of sheetsync.", 'msgid ""', 'msgstr ""']
    lines += [f'"{h}\\n"' for h in HEADER.split("\\n") if h]
    for e in entries:
        lines += ["", *(f"#: {w}" for w in e.where[:3]), f"msgid {_quote(e.msgid)}"]
        if e.plural is None:
            lines.append(f"msgstr {_quote(e.msgstr[0] if e.msgstr else '')}")
        else:
            lines.append(f"msgid_plural {_quote(e.plural)}")
            lines.append(f"msgstr[0] {_quote(e.msgstr[0] if e.msgstr else '')}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def update() -> None:
    old = read_po() if PO.exists() else {}
    new = []
    for msgid, e in extract().items():
        if msgid in old:
            e.msgstr = old[msgid].msgstr
        new.append(e)
    write_po(new)
    subprocess.run(["msgfmt", "--check", "-o", str(MO), str(PO)], check=True)
    missing = [e.msgid for e in new if not all(e.msgstr)]
    print(f"{len(new)} messages, {len(missing)} without a translation")
    for m in missing:
        print(f"  {m}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python3 -m tests.messages --update")
    update()
