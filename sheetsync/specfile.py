"""Loading and checking a template spec file (YAML) into a :class:`~sheetsync.spec.Spec`.

Every mistake in a spec is a :class:`SpecError` naming the file and the key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import SpecError
from .i18n import _
from .spec import (
    PART_ROLES,
    AmountsBlock,
    Block,
    CarryOver,
    FieldCell,
    FieldsBlock,
    Framework,
    IndicatorColumn,
    IndicatorsBlock,
    Label,
    Numeric,
    Span,
    Spec,
    TitleBlock,
    TotalBlock,
    TotalCell,
    ValuePart,
)
from .specrefs import check_references
from .vocabulary import load_vocabulary
from .yamlfile import once as _once
from .yamlfile import read_yaml


def _need(obj: dict, key: str, where: str, src: str, kind: type | tuple = str) -> Any:
    if key not in obj:
        raise SpecError(_("missing key '{key}'").format(key=key), file=src, where=where)
    value = obj[key]
    if not isinstance(value, kind):
        raise SpecError(
            _("'{key}' has the wrong type ({type})").format(key=key, type=type(value).__name__),
            file=src,
            where=where,
        )
    return value


def _span(text: Any, where: str, src: str) -> Span:
    try:
        return Span.parse(str(text))
    except ValueError:
        raise SpecError(
            _("'{text}' is not a column or column range like B:E").format(text=text), file=src, where=where
        ) from None


def _label(obj: Any, where: str, src: str) -> Label:
    if not isinstance(obj, dict):
        raise SpecError(_("expected a mapping with text and at"), file=src, where=where)
    aliases = obj.get("aliases") or []
    return Label(
        _need(obj, "text", where, src), _span(_need(obj, "at", where, src), where, src), tuple(str(a) for a in aliases)
    )


def _numeric(obj: dict, where: str, src: str, default_format: str = "General") -> Numeric:
    ratio = obj.get("ratio")
    if ratio is not None and (not isinstance(ratio, list) or len(ratio) != 2):
        raise SpecError(_("'ratio' must be [numerator column, denominator column]"), file=src, where=where)
    return Numeric(
        str(obj.get("number_format", default_format)),
        bool(obj.get("adds_up", True)) and ratio is None,
        (str(ratio[0]), str(ratio[1])) if ratio else None,
        str(obj["at_most"]) if obj.get("at_most") else None,
    )


def _block(obj: Any, where: str, src: str) -> Block:
    if not isinstance(obj, dict):
        raise SpecError(_("a block must be a mapping"), file=src, where=where)
    kind = _need(obj, "kind", where, src)
    parse = _BLOCK_KINDS.get(kind)
    if parse is None:
        raise SpecError(
            _("unknown block kind '{kind}' (title, fields, amounts, indicators, total)").format(kind=kind),
            file=src,
            where=where + ".kind",
        )
    return parse(obj, where, src)


def _title(obj: dict, where: str, src: str) -> TitleBlock:
    return TitleBlock(
        _need(obj, "key", where, src),
        _span(obj.get("at", "A"), where, src),
        float(obj.get("height", 30)),
        float(obj.get("font_size", 16)),
    )


def _fields(obj: dict, where: str, src: str) -> FieldsBlock:
    cells = []
    for i, c in enumerate(_need(obj, "cells", where, src, list)):
        w = f"{where}.cells[{i}]"
        if not isinstance(c, dict):
            raise SpecError(_("a cell must be a mapping"), file=src, where=w)
        label = Label(_need(c, "label", w, src), _span(_need(c, "at", w, src), w, src), tuple(c.get("aliases") or ()))
        key = c.get("key")
        value = _span(_need(c, "value", w, src), w, src) if key else None
        below = bool(c.get("below", False))
        if below and not key:
            raise SpecError(_("'below' needs a key (a value cell under the label)"), file=src, where=w)
        align = str(c.get("align", "left"))
        if align not in ("left", "center"):
            raise SpecError(_("'align' is left or center, not '{align}'").format(align=align), file=src, where=w)
        cells.append(FieldCell(label, key, value, bool(c.get("wrap", False)), below, align))
    return FieldsBlock(tuple(cells))


def _amounts(obj: dict, where: str, src: str) -> AmountsBlock:

    def pairs(name: str) -> tuple[tuple[str, Label], ...]:
        out = []
        for i, c in enumerate(_need(obj, name, where, src, list)):
            w = f"{where}.{name}[{i}]"
            key = _need(c, "key", w, src)
            out.append((key, _label({"text": c.get("label", key), **c}, w, src)))
        return tuple(out)

    number_format = str(obj.get("number_format", "General"))
    columns = pairs("columns")
    keys = [k for k, _unused in columns]
    numeric = {}
    for i, c in enumerate(obj["columns"]):
        numeric[keys[i]] = n = _numeric(c, f"{where}.columns[{i}]", src, number_format)
        if n.ratio and not set(n.ratio) <= set(keys):
            raise SpecError(
                _("'ratio' names a column the block does not have"), file=src, where=f"{where}.columns[{i}]"
            )
    label_at, corner = _paired(obj, keys, where, src)
    return AmountsBlock(
        _need(obj, "key", where, src),
        _label(_need(obj, "label", where, src, dict), where + ".label", src),
        corner,
        columns,
        pairs("rows"),
        number_format,
        numeric,
        str(obj.get("unit", "")),
        _lone(obj.get("lone"), keys, where, src),
        label_at,
    )


def _paired(obj: dict, keys: list[str], where: str, src: str) -> tuple[dict[str, Span], Label]:
    """Paired (each amount beside its own label): each column's label cells, no corner printed;
    one given (资金来源) is a word a reader meets in forms with the amounts in a grid."""
    columns = enumerate(obj["columns"])
    label_at = {keys[i]: _span(c["label_at"], f"{where}.columns[{i}]", src) for i, c in columns if "label_at" in c}
    if label_at and len(label_at) != len(keys):
        raise SpecError(_("'label_at' is given for every column or for none"), file=src, where=where)
    corner = obj.get("corner") if label_at else _need(obj, "corner", where, src, dict)
    if label_at and isinstance(corner, dict):
        corner = {"at": "A", **corner}  # printed nowhere: its place is not asked for
    return label_at, _label(corner, where + ".corner", src) if corner else Label("", Span(0, 0))


def _lone(value: Any, keys: list[str], where: str, src: str) -> str:
    """The column an amount printed alone on its row belongs to (the first when not given)."""
    if value is not None and value not in keys:
        raise SpecError(
            _("'{value}' is not a column of the block").format(value=value), file=src, where=f"{where}.lone"
        )
    return keys[0] if value is None else str(value)


def _indicators(obj: dict, where: str, src: str) -> IndicatorsBlock:
    cols = []
    for i, c in enumerate(_need(obj, "columns", where, src, list)):
        w = f"{where}.columns[{i}]"
        key = _need(c, "key", w, src)
        parts = _parts(c, w, src)
        if parts:  # the column's own label: the value part's header, over all the parts
            value = next(p.label for p in parts if p.role == "value")
            label = Label(value.text, Span(parts[0].label.at.first, parts[-1].label.at.last), value.aliases)
        cols.append(
            IndicatorColumn(
                key,
                label if parts else _label({"text": c.get("label", key), **c}, w, src),
                int(c.get("level", 0)),
                bool(c.get("wrap", False)),
                bool(c.get("target", False)),
                _numeric(c, w, src) if c.get("number") else None,
                parts,
            )
        )
    levels = sorted(c.level for c in cols if c.level)
    if levels != [1, 2]:
        raise SpecError(
            _("an indicators block needs one column with level 1 and one with level 2"), file=src, where=where
        )
    if sum(1 for c in cols if not c.level and not c.number) < 2:
        raise SpecError(
            _("an indicators block needs a text column for the 三级 name and one for its value"),
            file=src,
            where=where,
        )
    return IndicatorsBlock(
        _need(obj, "key", where, src),
        _label(_need(obj, "label", where, src, dict), where + ".label", src),
        tuple(cols),
    )


def _parts(c: dict, where: str, src: str) -> tuple[ValuePart, ...]:
    """A 指标值 printed in parts: ``[{part: comparator, label: 指标性质, at: E}, …]``, each
    role at most once and the value among them; only the ``target`` column has parts."""
    parts = []
    for i, p in enumerate(c.get("parts") or ()):
        w = f"{where}.parts[{i}]"
        if not isinstance(p, dict) or p.get("part") not in PART_ROLES:
            message = _("expected 'part' to be one of {roles}").format(roles=", ".join(PART_ROLES))
            raise SpecError(message, file=src, where=w)
        parts.append(ValuePart(p["part"], _label({"text": p.get("label"), **p}, w, src)))
    if not parts:
        return ()
    roles = [p.role for p in parts]
    if "value" not in roles or len(set(roles)) != len(roles):
        raise SpecError(_("'parts' needs one value part and each role at most once"), file=src, where=where)
    if not c.get("target") or c.get("number") or c.get("level"):
        raise SpecError(_("only the target (指标值) column may be printed in parts"), file=src, where=where)
    return tuple(parts)


def _total(obj: dict, where: str, src: str) -> TotalBlock:
    cells = []
    for i, c in enumerate(_need(obj, "cells", where, src, list)):
        w = f"{where}.cells[{i}]"
        sums = []
        for ref in _need(c, "sum", w, src, list):
            block_key, _dot, col_key = str(ref).partition(".")
            if not col_key:
                raise SpecError(_("'{ref}' is not 'block key.column key'").format(ref=ref), file=src, where=w + ".sum")
            sums.append((block_key, col_key))
        cells.append(
            TotalCell(
                _need(c, "key", w, src),
                _span(_need(c, "at", w, src), w, src),
                tuple(sums),
                str(c.get("number_format", "General")),
            )
        )
    return TotalBlock(
        _need(obj, "key", where, src),
        _label(_need(obj, "label", where, src, dict), where + ".label", src),
        tuple(cells),
    )


_BLOCK_KINDS = {"title": _title, "fields": _fields, "amounts": _amounts, "indicators": _indicators, "total": _total}


def _carry_over(obj: Any, src: str) -> CarryOver | None:
    if obj is None:
        return None
    where = "carry_over"
    if not isinstance(obj, dict):
        raise SpecError(_("expected a mapping with source, fields, amounts, indicators"), file=src, where=where)

    def path(text: Any, w: str) -> tuple[str, str, str]:
        parts = tuple(str(text).split("."))
        if len(parts) != 3:
            raise SpecError(_("'{text}' is not 'block.row.column'").format(text=text), file=src, where=w)
        return parts  # type: ignore[return-value]

    amounts = {}
    for target, sources in (obj.get("amounts") or {}).items():
        w = f"{where}.amounts.{target}"
        sources = sources if isinstance(sources, list) else [sources]
        amounts[path(target, w)] = tuple(path(x, w) for x in sources)
    return CarryOver(
        str(_need(obj, "source", where, src)),
        {str(k): str(v) for k, v in (obj.get("fields") or {}).items()},
        amounts,
        {str(k): str(v) for k, v in (obj.get("indicators") or {}).items()},
    )


def load_framework(path: Path | Any, src: str) -> Framework:
    data = read_yaml(path, src)
    levels = _need(data, "levels", "levels", src, dict)
    parsed = {}
    for one, body in levels.items():
        twos = (body or {}).get("二级", []) if isinstance(body, dict) else body
        if not isinstance(twos, list):
            raise SpecError(_("expected a list of 二级 names"), file=src, where=f"levels.{one}")
        parsed[str(one)] = tuple(str(t) for t in twos)
    aliases = {str(k): str(v) for k, v in (data.get("aliases") or {}).items()}

    def words(key: str) -> tuple[str, ...]:
        value = data.get(key) or []
        if not isinstance(value, list):
            raise SpecError(_("expected a list of words"), file=src, where=key)
        return tuple(str(v) for v in value)

    hints = data.get("hints") or {}
    if not isinstance(hints, dict):
        raise SpecError(_("expected a mapping of 二级 names to words"), file=src, where="hints")
    return Framework(
        parsed,
        aliases,
        words("qualitative"),
        {str(k): tuple(map(str, v or ())) for k, v in hints.items()},
        words("rates"),
        words("money_units"),
        src,
        {str(k): str(v) for k, v in (data.get("places") or {}).items()},
        words("cost_words"),
        load_vocabulary(data.get("reading"), src),
    )


def load_spec(path: Path | Any, src: str | None = None) -> Spec:
    """Load and validate a spec file (a path or an importlib resource); a file is parsed once
    while it is unchanged."""
    src = src or str(path)
    return _once("spec", path, src, lambda: _load_spec(path, src))


def _load_spec(path: Path | Any, src: str) -> Spec:
    data = read_yaml(path, src)
    blocks = tuple(_block(b, f"blocks[{i}]", src) for i, b in enumerate(_need(data, "blocks", "blocks", src, list)))
    columns = _need(data, "columns", "columns", src, dict)
    widths: list[float] = []
    for letter, width in columns.items():
        if _span(letter, "columns", src).first != len(widths):
            raise SpecError(_("columns must be listed from A without gaps"), file=src, where="columns")
        widths.append(float(width))
    fw_name = data.get("framework", "framework.yaml")
    fw_path = path.parent / fw_name if hasattr(path, "parent") else path.joinpath("..", fw_name)
    framework = load_framework(fw_path, f"{src}: framework {fw_name}")
    font = data.get("font") or {}
    page = data.get("page") or {}
    spec = Spec(
        name=_need(data, "name", "name", src),
        version=str(_need(data, "version", "version", src, (str, int, float))),
        title=str(data.get("title", "")),
        font=(str(font.get("name", "宋体")), float(font.get("size", 10))),
        widths=tuple(widths),
        blocks=blocks,
        framework=framework,
        source=src,
        identity=str(data.get("identity", "项目名称")),
        paper=str(page.get("paper", "A4")),
        landscape=page.get("orientation", "portrait") == "landscape",
        carry_over=_carry_over(data.get("carry_over"), src),
        titles=tuple(str(t) for t in data.get("titles") or ()),
        variant_of=str(data.get("variant_of") or ""),
    )
    if sum(isinstance(b, IndicatorsBlock) for b in blocks) != 1:
        raise SpecError(_("a spec needs exactly one indicators block"), file=src, where="blocks")
    if spec.identity not in spec.keys:
        raise SpecError(
            _("identity '{identity}' is not one of the spec's keys").format(identity=spec.identity),
            file=src,
            where="identity",
        )
    check_references(spec, src)
    return spec
