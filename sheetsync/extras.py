"""``附加``: what a form shows that its template's contract has no key for.

A foreign form carries more than the template: a 备注 or 绩效标准 column, a 序号, a 指标值
printed in parts (指标性质 | 指标值 | 度量单位), weights in the 一级 cells, a 长期目标, a second
indicator set, footer lines. ``read`` keeps each in ``附加`` (an optional key of the form and
of each indicator) rather than drop it; the contract's own keys never change meaning. A form
without extras has no ``附加`` key, so data written before round-trips unchanged.

Of a form (``form["附加"]``):

| key | what |
|---|---|
| ``权重`` | ``{一级: "(50分)"}``: the weight in a 一级 cell (a list when a 一级 heads groups of other weights) |
| ``单位`` | ``"元"``: the unit the sheet printed amounts in (the amounts are converted to 万元) |
| ``长期目标`` | the text of a goal for longer than the year (长期目标, 中期目标) beside the 年度目标 |
| ``其他指标`` | ``{label: [indicator rows]}``: an indicator set of a longer period (长期绩效指标, 中期绩效指标) |
| ``表外`` | texts of the rows after the indicator table (合计, 填表人, 盖章 …), in order |
| ``附件`` | the text above the title (``附件3``) |
| ``字段`` | ``{label: text}``: label/value pairs of the header the template has no key for |

``字段`` holds the pairs above the indicator block (header fields and the amounts) whose label
is none of the template's labels nor of its reading words: ``项目负责人 | 张三`` (pairs side by
side on a row too), ``联系电话： | 0871…`` or ``预算单位：某局`` in one cell, by the label
without its colon (see :mod:`sheetsync.reading.pairs`). Texts that do not pair for certain
stay in ``not_read`` warnings; the exact read of a rendered workbook keeps none.

Of an indicator (``row["附加"]``): ``{header: text or number}`` for each extra column by its
header's text (``备注``, ``绩效标准``, ``序号``, ``分值``), and ``指标值分列``: the printed parts of a
split 指标值 by their headers (``{"指标性质": "≥", "指标值": "95", "度量单位": "%"}``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .errors import DataError
from .i18n import _

EXTRAS = "附加"
VALUE_PARTS = "指标值分列"


def validate_extras(value: Any, path: str, file: str | None, check_text) -> dict[str, Any]:
    """``value`` as an object of JSON values (texts checked by ``check_text``, numbers finite);
    a :class:`DataError` names the data path otherwise."""
    if not isinstance(value, dict):
        raise DataError(_("expected an object, got {kind}").format(kind=type(value).__name__), file=file, where=path)
    return {str(k): _json(v, f"{path}.{k}", file, check_text) for k, v in value.items()}


def with_extras(out: dict[str, Any], given: dict[str, Any], path: str, file: str | None, check_text) -> dict:
    """``out`` with the ``附加`` of ``given`` validated into it, if it has one."""
    if EXTRAS in given:
        out[EXTRAS] = validate_extras(given[EXTRAS], path, file, check_text)
    return out


def not_laid_out(data: dict[str, Any], indicators: str) -> Iterator[tuple[str, Any, str]]:
    """(data path, value, "") for each ``附加`` of a form: it has no place in the template's
    layout, so a rendered workbook reads back without it."""
    if EXTRAS in data:
        yield EXTRAS, data[EXTRAS], ""
    for i, row in enumerate(data[indicators]):
        if EXTRAS in row:
            yield f"{indicators}[{i}].{EXTRAS}", row[EXTRAS], ""


def _json(value: Any, path: str, file: str | None, check_text) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        if value != value or value in (float("inf"), float("-inf")):
            raise DataError(_("expected a finite number"), file=file, where=path)
        return value
    if isinstance(value, str):
        return check_text(value, path, file)
    if isinstance(value, list):
        return [_json(v, f"{path}[{i}]", file, check_text) for i, v in enumerate(value)]
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise DataError(_("keys must be texts"), file=file, where=path)
        return {k: _json(v, f"{path}.{k}", file, check_text) for k, v in value.items()}
    raise DataError(
        _("expected text, a number, a list or an object, got {kind}").format(kind=type(value).__name__),
        file=file,
        where=path,
    )
