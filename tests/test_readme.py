"""The README's console sessions, run as written: each ```console block's ``$ `` lines in a fresh
folder holding the bundled test data, their output (stdout and stderr, as a terminal shows them)
compared with the lines under them, as doctest would.

In the expected text, a line that is only ``…`` stands for any number of lines, and ``…`` inside
a line for any text (a long text's shown span ends with a literal ``…`` too, which it matches).
A block right after the line ``<!-- not run: REASON -->`` is left out (its inputs are not in the
repository); the test counts those and needs a reason for each. The PDFs a session reads
(``forms.pdf``, ``locked.pdf``) are the bundled examples printed by LibreOffice, the second with a
password, as a department would publish them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import soffice

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
READMES = {"README.md": {"LANG": "C.UTF-8"}, "README.zh-CN.md": {"LANG": "zh_CN.UTF-8"}}  # each in its language
MARK = "@@sheetsync-readme@@"


NOT_RUN = re.compile(r"^<!-- not run: (.+?) -->\n```console\n.*?^```", re.S | re.M)


def _runnable(text: str) -> str:
    return NOT_RUN.sub("", text)


def sessions(text: str) -> list[list[tuple[str, list[str]]]]:
    """Each console block as (command, expected output lines) pairs."""
    blocks = re.findall(r"^```console\n(.*?)^```", _runnable(text), re.S | re.M)
    out = []
    for block in blocks:
        steps: list[tuple[str, list[str]]] = []
        for line in block.splitlines():
            if line.startswith("$ "):
                steps.append((line[2:], []))
            elif steps:
                steps[-1][1].append(line)
        out.append(steps)
    return out


def matches(expected: list[str], actual: list[str]) -> bool:
    if not expected:
        return not actual
    head, rest = expected[0], expected[1:]
    if head == "…":
        return any(matches(rest, actual[i:]) for i in range(len(actual) + 1))
    if not actual:
        return False
    pattern = ".*".join(re.escape(part) for part in head.split("…"))
    return re.fullmatch(pattern, actual[0]) is not None and matches(rest, actual[1:])


def run_session(steps: list[tuple[str, list[str]]], folder: Path, lang: dict[str, str]) -> list[list[str]]:
    """Run the commands in one shell (so ``echo $?`` sees the command before), output per command."""
    script = "".join(f'__rc=$?; echo "{MARK}"; (exit $__rc); {command}\n' for command, _ in steps)
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    env.pop("NO_COLOR", None)
    env.update(lang)
    done = subprocess.run(
        ["bash", "-c", "exec 2>&1\n" + script], cwd=folder, env=env, capture_output=True, text=True, timeout=600
    )
    parts = done.stdout.replace("\ufeff", "").split(MARK + "\n")  # a terminal shows no byte-order mark
    return [p.splitlines() for p in parts[1:]]


def test_the_readme_has_sessions_and_the_marker_works():
    text = README.read_text(encoding="utf-8")
    found = sessions(text)
    assert len(NOT_RUN.findall(text)) <= 1  # the blocks left out, each with its reason
    assert sessions("<!-- not run: x -->\n```console\n$ a\n```\n```console\n$ b\nB\n```\n") == [[("b", ["B"])]]
    assert len(found) >= 3 and sum(len(s) for s in found) >= 8
    assert matches(["a", "…", "d"], ["a", "b", "c", "d"]) and matches(["x…z"], ["x and z"])
    assert not matches(["a", "d"], ["a", "b", "d"]) and not matches(["x…z"], ["x and y"])


def printed(folder: Path, names: set[str]) -> None:
    """``forms.pdf`` and ``locked.pdf`` in ``folder``: the bundled examples printed to PDF by
    LibreOffice (``locked.pdf`` with an open password)."""
    from sheetsync import api
    from tests.lo import convert_all

    work = folder.parent / "printing"
    work.mkdir()
    api.render_files([], work / "forms.xlsx", examples=True)
    if "forms.pdf" in names:
        convert_all([work / "forms.xlsx"], "pdf", folder, work / "profile")
    if "locked.pdf" in names:
        shutil.copyfile(work / "forms.xlsx", work / "locked.xlsx")
        options = (
            'pdf:calc_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
            '"DocumentOpenPassword":{"type":"string","value":"secret"}}'
        )
        convert_all([work / "locked.xlsx"], options, folder, work / "profile")


@pytest.mark.parametrize("readme", sorted(READMES))
def test_the_readme_console_blocks_print_what_they_show(tmp_path, readme):
    folder = tmp_path / "session"
    shutil.copytree(ROOT / "tests" / "data", folder / "tests" / "data")
    found = sessions((ROOT / readme).read_text(encoding="utf-8"))
    pdfs = {name for steps in found for command, _ in steps for name in ("forms.pdf", "locked.pdf") if name in command}
    if pdfs:
        if soffice() is None:  # under CI the conftest refuses to start without LibreOffice
            pytest.skip("the README's PDF session reads forms printed by LibreOffice (soffice), not installed")
        printed(folder, pdfs)
    assert found
    outputs = run_session([step for steps in found for step in steps], folder, READMES[readme])
    steps = [step for s in found for step in s]
    assert len(outputs) == len(steps)
    wrong = [
        f"$ {command}\nexpected:\n" + "\n".join(expected) + "\ngot:\n" + "\n".join(actual)
        for (command, expected), actual in zip(steps, outputs, strict=True)
        if not matches(expected, actual)
    ]
    assert not wrong, "\n\n".join(wrong)


@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(), reason="not a git checkout")
def test_the_set_up_commands_output_is_ignored_by_git():
    setup = re.search(r"^```bash\n(python3 -m pip install \. .*?)\n```", README.read_text(encoding="utf-8"), re.M)
    assert setup, "the README's first set-up command"
    outputs = re.findall(r"-o (\S+)", setup[1])
    assert outputs
    for name in outputs:
        ignored = subprocess.run(["git", "check-ignore", "-q", name], cwd=ROOT, capture_output=True)
        assert ignored.returncode == 0, f"{name} would show in git status"
