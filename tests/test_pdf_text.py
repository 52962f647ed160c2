"""Reading PDFs, the parts that need no PDF: wrapped lines joined, printed numbers."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "lines, text",
    [
        (
            ["根据县委常务会议纪要【2020】07号,信访工作应当在各级人民", "政府领导下"],
            "根据县委常务会议纪要【2020】07号,信访工作应当在各级人民政府领导下",
        ),
        (["(宁政办发【2017】126号),", "1、340名辅警"], "(宁政办发【2017】126号),1、340名辅警"),
        (["Performance targets of the", "police bureau"], "Performance targets of the police bureau"),
        (["年度资金总额１２", "３万元"], "年度资金总额１２３万元"),
        (["123456", "789"], "123456789"),
        (["", " 无 "], "无"),
    ],
)
def test_wrapped_lines_join_without_spaces_between_chinese_characters(lines, text):
    from sheetsync.reading.pdf import join_lines

    assert join_lines(lines) == text


@pytest.mark.parametrize(
    "text, value, shown",
    [
        ("2,050.20", 2050.2, "2050.20"),
        ("3.00", 3, "3.00"),
        ("-5", -5, "-5"),
        ("001", "001", None),  # a code, not a number
        ("95.00%", "95.00%", None),  # a target or a rate: text (the reader parses rates)
        ("1234567890123456", "1234567890123456", None),  # more digits than a number keeps
        ("115件", "115件", None),
    ],
)
def test_printed_numbers_are_numbers_that_show_as_printed(text, value, shown):
    from sheetsync.reading.pdf import cell_value
    from sheetsync.values import shown_number

    got, fmt = cell_value(text)
    assert got == value and isinstance(got, str) == isinstance(value, str)
    if shown is not None:
        assert shown_number(got, fmt) == shown
