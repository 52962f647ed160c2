"""The message catalogue: every message has a Chinese translation, none is stale, the compiled
catalogue is the .po's; messages, help and warnings come out in the user's language."""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.messages import MO, PO, extract, read_po

PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def test_every_message_has_a_translation_and_no_entry_is_stale():
    source, po = extract(), read_po()
    assert len(source) > 50
    assert sorted(set(source) - set(po)) == [], "run python3 -m tests.messages --update and translate"
    assert sorted(set(po) - set(source)) == [], "stale entries: run python3 -m tests.messages --update"
    untranslated = [m for m, e in po.items() if not all(s.strip() for s in e.msgstr)]
    assert untranslated == []
    for msgid, entry in po.items():
        assert (entry.plural is None) == (source[msgid].plural is None), msgid
        for text in entry.msgstr:  # every placeholder kept, none added (they are filled in by name)
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(msgid)), msgid


def test_the_compiled_catalogue_is_the_po():
    catalogue = gettext.GNUTranslations(MO.open("rb"))._catalog
    expected = {}
    for msgid, entry in read_po().items():
        if entry.plural is None:
            expected[msgid] = entry.msgstr[0]
        else:
            expected.update({(msgid, i): s for i, s in enumerate(entry.msgstr)})
    assert {k: v for k, v in catalogue.items() if k != ""} == expected, "run python3 -m tests.messages --update"


@pytest.mark.skipif(shutil.which("msgfmt") is None and os.environ.get("CI") != "true", reason="msgfmt (apt: gettext)")
def test_msgfmt_accepts_the_po(tmp_path):
    subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "x.mo"), str(PO)], check=True, capture_output=True)


def test_the_source_marks_no_f_strings():
    # a message built with an f-string cannot be translated whole: extract() refuses one
    from tests import messages

    assert messages.extract()  # raises ValueError naming the file and line of any


def _run(*args, env_lang: dict[str, str]):
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    env.update(env_lang)
    return subprocess.run(
        [sys.executable, "-m", "sheetsync", *map(str, args)], env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    "env_lang",
    [{"LANG": "zh_CN.UTF-8"}, {"LC_ALL": "zh_CN.UTF-8"}, {"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "C.UTF-8"}],
)
def test_a_chinese_locale_speaks_chinese(tmp_path, env_lang):
    r = _run("read", tmp_path / "missing.xlsx", env_lang=env_lang)
    assert (r.returncode, r.stderr.startswith("错误：")) == (2, True), r.stderr
    assert "选项" in _run("read", "--help", env_lang=env_lang).stdout


def test_lang_option_wins_over_the_locale(tmp_path):
    english = _run("read", tmp_path / "missing.xlsx", "--lang", "en", env_lang={"LANG": "zh_CN.UTF-8"})
    assert english.stderr.startswith("Error: ")
    chinese = _run("--lang", "zh", "check", tmp_path / "missing.xlsx", env_lang={"LANG": "C.UTF-8"})
    assert chinese.stderr.startswith("错误：")
    help_text = _run("check", "--help", "--lang=zh", env_lang={}).stdout
    assert "按指标体系检查表格" in help_text and "Check forms" not in help_text


def test_other_locales_speak_english(tmp_path):
    for env_lang in ({}, {"LANG": "C.UTF-8"}, {"LANG": "de_DE.UTF-8"}, {"LANG": "en_US.UTF-8"}):
        r = _run("read", tmp_path / "missing.xlsx", env_lang=env_lang)
        assert r.stderr.startswith("Error: "), env_lang


def test_the_library_follows_the_chosen_language():
    from sheetsync import i18n
    from sheetsync.i18n import _

    try:
        i18n.use("zh")
        assert _("no findings") == "未发现问题" and i18n.chinese()
        i18n.use("en")
        assert _("no findings") == "no findings" and not i18n.chinese()
    finally:
        i18n.use(None)


def test_lang_in_process_applies_to_that_run_only(cli, tmp_path):
    missing = tmp_path / "missing.xlsx"
    assert cli("read", missing, "--lang", "zh").err.startswith(f"错误：{missing}")
    assert cli("read", missing).err == f"Error: {missing}: no such file\n"


def test_diff_in_a_chinese_locale_prints_chinese(tmp_path, truth):
    import copy

    import sheetsync

    old, new = tmp_path / "old.xlsx", tmp_path / "new.xlsx"
    changed = copy.deepcopy(truth)
    changed[0]["项目资金"]["年度资金总额"]["含本级"] = 3.5
    changed[0]["绩效指标"][0]["指标值"] = "120件"
    changed[0]["绩效指标"][1]["三级指标"] = "信访案件立案数"
    sheetsync.render(truth, old)
    sheetsync.render(changed, new)
    r = _run("diff", old, new, env_lang={"LANG": "zh_CN.UTF-8"})
    assert r.returncode == 1, r.stderr
    assert r.stdout == (
        "信访工作经费\n"
        "  修改      项目资金 / 年度资金总额 / 含本级            3 → 3.5（+0.5）\n"
        "  修改      产出指标 / 数量指标 / 受理信访事项举报数量  115件 → 120件（+5件，增加）\n"
        "  改名      产出指标 / 数量指标 / 信访案件立案数        48起（原为 产出指标 / 数量指标 / 信访案件立案数量）\n"
        "修改 2 处，改名 1 处\n"
    )
    english = _run("diff", old, new, "--lang", "en", env_lang={"LANG": "zh_CN.UTF-8"}).stdout
    assert english.splitlines()[-1] == "2 changed, 1 renamed" and "(+5件, increased)" in english
    same = _run("diff", old, old, env_lang={"LANG": "zh_CN.UTF-8"})
    assert (same.returncode, same.stdout) == (0, "没有变化\n")


def test_places_in_a_text_dump_or_a_pdf_are_said_in_the_users_language(cli):
    from sheetsync import i18n
    from sheetsync.errors import Problem, place

    problem = Problem("x", "forms.txt", "表1", "line 6 column 4")
    try:
        i18n.use("zh")
        assert place("forms.txt", "表1", "line 6 column 4") == "forms.txt: 表1, 第 6 行第 4 列"
        assert place("f.pdf", "表2", "page 2, row 12 column 4") == "f.pdf: 表2, 第 2 页第 12 行第 4 列"
        assert place("f.xlsx", "表1", "E11") == "f.xlsx: 表1!E11"  # a cell reference is the same in every language
        assert problem.to_json()["cell"] == "line 6 column 4"  # JSON keeps the place as recorded
        i18n.use("en")
        assert place("f.pdf", "表2", "page 2, row 12 column 4") == "f.pdf: 表2, page 2, row 12 column 4"
    finally:
        i18n.use(None)
    r = cli("read", Path(__file__).parent / "data" / "forms.txt", "--lang", "zh")
    assert "18 处 amount_text（表1, 第 6 行第 4 列; 表1, 第 7 行第 4 列;" in r.err
