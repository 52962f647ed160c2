"""Page breaks planned for a printed form: between 一级 groups when a group fits on a page,
between 二级 groups inside one that does not, never leaving the last rows alone, and every
page within the printable height (LibreOffice's own page count is tested in test_print)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sheetsync.catalog import get_spec
from sheetsync.layout import Layout
from sheetsync.measure import ROW_HEIGHT, row_heights
from sheetsync.model import Form
from sheetsync.pages import ORPHAN_ROWS, page_breaks, page_rows_height

SPEC = get_spec("自评表")
LEVELS = [("产出指标", "数量指标"), ("产出指标", "质量指标"), ("成本指标", ""), ("效益指标", "社会效益指标")]


def _form(groups: list[tuple[int, int]]) -> Form:
    """A 自评表 with runs of indicators: (level pair index, rows) each."""
    rows = []
    for n, (pair, count) in enumerate(groups):
        one, two = LEVELS[pair]
        for i in range(count):
            rows.append(
                {
                    "一级指标": one,
                    "二级指标": two,
                    "三级指标": f"指标{n}-{i}",
                    "年度指标值": "100%",
                    "实际完成值": "",
                    "分值": None,
                    "得分": None,
                    "偏差原因分析及改进措施": "",
                }
            )
    data = {k: "" for k in SPEC.text_keys}
    data["项目资金"] = {rk: {ck: None for ck, _ in b.columns} for b in SPEC.amounts for rk, _ in b.row_labels}
    data["绩效指标"] = rows
    return Form.from_dict(data, spec=SPEC)


def _plan(form: Form) -> tuple[Layout, list[float], list[int]]:
    layout = Layout.of(SPEC, form.indicators)
    heights = row_heights(SPEC, form, layout=layout)
    h = [heights.get(r, ROW_HEIGHT) for r in range(layout.last_row + 1)]
    return layout, h, page_breaks(layout, heights, ROW_HEIGHT)


def test_a_short_form_is_one_page():
    assert _plan(_form([(0, 4), (2, 1)]))[2] == []


def test_breaks_fall_between_groups_and_pages_fit():
    form = _form([(0, 12), (1, 12), (2, 1), (3, 12), (0, 10)])
    layout, h, breaks = _plan(form)
    assert breaks, "a form this long needs several pages"
    first = layout.header + 1
    one = [(r["一级指标"], r["二级指标"] == "") for r in form.indicators]
    group_starts = {first + i for i in range(len(one)) if i == 0 or one[i] != one[i - 1]}
    assert set(breaks) <= group_starts | {row for _, row in layout.block_rows}
    room = page_rows_height(layout)
    bounds = [0, *breaks, layout.last_row + 1]
    for k in range(len(bounds) - 1):
        repeated = h[layout.header] if bounds[k] > layout.header else 0
        assert sum(h[bounds[k] : bounds[k + 1]]) + repeated <= room
    assert layout.last_row + 1 - breaks[-1] >= ORPHAN_ROWS


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(1, 40)), min_size=1, max_size=8))
def test_every_page_fits_and_the_last_is_never_a_lone_row(groups):
    layout, h, breaks = _plan(_form(groups))
    room = page_rows_height(layout)
    bounds = [0, *breaks, layout.last_row + 1]
    assert bounds == sorted(set(bounds))
    for k in range(len(bounds) - 1):
        repeated = h[layout.header] if bounds[k] > layout.header else 0
        assert sum(h[bounds[k] : bounds[k + 1]]) + repeated <= room
    if breaks:
        assert layout.last_row + 1 - breaks[-1] >= min(ORPHAN_ROWS, layout.last_row + 1 - layout.header)
