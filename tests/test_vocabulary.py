"""Reading words as data: the framework's ``reading`` section, spec ``titles``, field synonyms,
and the template chosen by the whole header."""

from __future__ import annotations

from pathlib import Path

import pytest

import sheetsync
from sheetsync.catalog import get_spec
from sheetsync.errors import SpecError
from sheetsync.specfile import load_framework
from sheetsync.vocabulary import Vocabulary, load_vocabulary

REAL = Path(__file__).parent / "data" / "real"


def test_packaged_framework_has_reading_words():
    words = get_spec().framework.reading
    assert words.is_stop("合计") and words.is_stop("填表人：张三") and words.is_stop("财政部门审核意见")
    assert not words.is_stop("受理信访事项举报数量")
    assert words.is_placeholder("指标1：") and words.is_placeholder("……") and not words.is_placeholder("指标值")
    assert [words.role(t) for t in ("序号", "指标性质", "度量单位", "目标值", "权重", "备注")] == [
        "sequence",
        "comparator",
        "unit",
        "value",
        "weight",
        None,
    ]
    assert words.units["元"] == pytest.approx(0.0001)


@pytest.mark.parametrize(
    ("section", "where"),
    [({"placeholders": ["("]}, "reading.placeholders"), ({"units": {"元": "a"}}, "reading.units"), ("x", "reading")],
)
def test_bad_reading_section_names_its_key(section, where):
    with pytest.raises(SpecError) as e:
        load_vocabulary(section, "fw.yaml")
    assert where in str(e.value) and "fw.yaml" in str(e.value)


def test_a_province_framework_brings_its_own_words(tmp_path):
    fw = tmp_path / "framework.yaml"
    fw.write_text("levels: {产出指标: [数量指标]}\nreading: {stop_rows: [本表完]}\n", encoding="utf-8")
    words = load_framework(fw, str(fw)).reading
    assert words.is_stop("本表完") and not words.is_stop("合计")
    assert load_vocabulary(None, "x") == Vocabulary()


def test_template_chosen_by_the_whole_header():
    """A 目标表 with a 分值 column (and a title saying 绩效目标审批表) is a 绩效目标表; a 自评表 whose
    labels are all other spellings is a 自评表 by its title."""
    target = sheetsync.read_file(REAL / "22_fengjie_yunwu_jiagongyuan_2023.txt").forms[0]
    assert target.template == "绩效目标表"
    self_eval = sheetsync.read_file(REAL / "11_qingshen_fagaiju_gongzi_2023.txt").forms[0]
    assert self_eval.template == "自评表"


def test_field_synonyms_from_the_spec():
    form = sheetsync.read_file(REAL / "22_fengjie_yunwu_jiagongyuan_2023.txt").forms[0]
    assert form["项目期"] == "2023年4月-2024年2月"  # 建设周期
    assert form["主管部门"] == "县民宗委"  # 业务主管部门
    assert form["年度总体绩效目标"].startswith("新建中药材晾晒房一座")  # 年度主要目标和成果
