"""The data contract: forms as JSON/YAML, validated against a template spec.

A :class:`Form` holds one form's values under the form's own labels (the data contract, see
README); data files hold one form (an object) or several (an array)."""

from __future__ import annotations

import copy
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import formulas
from .catalog import Templates, packaged
from .errors import DataError, InputError, SpecError
from .extras import EXTRAS, not_laid_out
from .i18n import _
from .parts import carried_row, part_issues
from .safety import yaml_too_deep
from .spec import Spec
from .validate import kind_of, validate
from .values import clean_target, clean_text

DATA_SUFFIXES = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}


@dataclass(frozen=True)
class Origin:
    """Where a form was read from: the file, the sheet (a data file's form: ``where``, ``[3]``), the cell of each
    value by data path (``"绩效指标[3].指标值": "E14"``; ``"line 12 column 4"``), numbers typed as text (by path)."""

    file: str = ""
    sheet: str = ""
    cells: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    text_numbers: frozenset[str] = field(default=frozenset(), compare=False)
    where: str = ""


class Form:
    """One form: the contract's mapping, validated against its template spec, which it holds.

    ``form["项目名称"]`` reads a value; ``form.to_dict()`` gives the contract's plain
    JSON-ready mapping in the form's order; ``form.spec`` is its template (``form.template``
    its name). Two forms are equal when their template and data are (amounts compare by
    value, so ``2050.20 == 2050.2``). Without a spec, a form is of the packaged 绩效目标表.
    """

    __slots__ = ("data", "origin", "spec")

    def __init__(self, data: dict[str, Any], spec: Spec | None = None, origin: Origin | None = None):
        self.spec = spec if spec is not None else packaged().default
        self.data = data
        self.origin = origin or Origin()

    @classmethod
    def from_dict(cls, obj: Any, *, spec: Spec | None = None, where: str = "", file: str | None = None) -> Form:
        """Validate ``obj`` against the contract; a :class:`DataError` names the data path."""
        spec = spec if spec is not None else packaged().default
        return cls(validate(obj, spec, where, file), spec, Origin(file or "", "", where=where))

    @property
    def template(self) -> str:
        """The name of the form's template."""
        return self.spec.name

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    @property
    def indicators(self) -> list[dict[str, Any]]:
        """The indicator rows, in form order."""
        return self.data[self.spec.indicators.key]

    @property
    def name(self) -> str:
        """The form's identity (项目名称 for the 绩效目标表)."""
        return self.data.get(self.spec.identity, "")

    def to_dict(self) -> dict[str, Any]:
        return copy.deepcopy(self.data)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Form) and self.template == other.template and self.data == other.data

    def __repr__(self) -> str:
        return f"Form({self.name!r}, {len(self.indicators)} indicators)"


def normal_form_issues(form: Form) -> Iterator[tuple[str, str, str]]:
    """(data path, value, normal form) for each text that reading would give back changed.

    ``read`` trims surrounding whitespace everywhere and folds full-width digits and ``％``
    in 指标值, and reads a 二级 equal to its 一级 as that 一级 spanning both level columns
    (what an unmerged, refilled cell looks like); a computed value (执行率, 总分) reads back as
    what its formula gives; ``附加`` is not laid out. Data in that normal form round-trips exactly.
    """
    spec = form.spec
    for key in spec.text_keys:
        value = form[key]
        if clean_text(value) != value:
            yield key, value, clean_text(value)
    ind = spec.indicators
    one, two = ind.level(1).key, ind.level(2).key
    for i, row in enumerate(form.indicators):
        if row[two] and clean_text(row[two]) == clean_text(row[one]):
            yield f"{ind.key}[{i}].{two}", row[two], ""
        for col in ind.columns:
            if col.number or col.parts:
                continue
            value = row[col.key]
            normal = clean_target(value) if col.target else clean_text(value)
            if normal != value:
                yield f"{ind.key}[{i}].{col.key}", value, normal
    yield from part_issues(spec, form.indicators)
    yield from not_laid_out(form.data, ind.key)
    for path, value in formulas.computed(spec, form.data):
        given = formulas.get(form.data, path)
        if given != value:
            yield ".".join(path), given, value


# ---------------------------------------------------------------- files


def data_format(path: str | Path) -> str:
    """'json' or 'yaml' from the file name; InputError otherwise."""
    fmt = DATA_SUFFIXES.get(Path(path).suffix.lower())
    if fmt is None:
        raise InputError(
            _("unknown data format '{suffix}'; use .json, .yaml or .yml").format(suffix=Path(path).suffix),
            file=str(path),
        )
    return fmt


def parse_forms(
    text: str, fmt: str, *, file: str | None = None, spec: Spec | None = None, templates: Templates | None = None
) -> list[Form]:
    """Forms from JSON or YAML: one object or an array (each of ``spec``, or of its template)."""
    try:
        if fmt == "json":
            obj = json.loads(text)
        elif yaml_too_deep(text, loader := getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            raise DataError(_("is nested too deep (a form is 4 levels deep)"), file=file)
        else:
            obj = yaml.load(text, Loader=loader)
    except ValueError as e:  # JSONDecodeError, or a number past int()'s 4,300-digit limit
        at = (
            _(" at line {line} column {column}").format(line=e.lineno, column=e.colno)
            if isinstance(e, json.JSONDecodeError)
            else ""
        )
        why = getattr(e, "msg", "a number of over 4,300 digits")
        raise DataError(
            _("not valid {format}: {why}{at}").format(format=fmt.upper(), why=why, at=at), file=file
        ) from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        pos = f" at line {mark.line + 1} column {mark.column + 1}" if mark else ""
        raise DataError(
            _("not valid YAML: {why}{pos}").format(why=getattr(e, "problem", None) or e, pos=pos), file=file
        ) from None
    if isinstance(obj, dict):
        return [form_of(obj, spec, "", file, templates)]
    if isinstance(obj, list):
        return [form_of(o, spec, f"[{i}]", file, templates) for i, o in enumerate(obj)]
    raise DataError(
        _("expected a form (an object) or a list of forms, got {kind}").format(kind=kind_of(obj)), file=file
    )


def _fits(spec: Spec, obj: Any) -> bool:
    """``obj`` has the keys of ``spec``'s contract (computed totals may be left out)."""
    if not isinstance(obj, dict):
        return False
    keys = set(spec.keys)
    return keys - {b.key for b in spec.totals} <= set(obj) <= keys | {EXTRAS}


def form_of(
    obj: Any,
    spec: Spec | None = None,
    where: str = "",
    file: str | None = None,
    templates: Templates | None = None,
) -> Form:
    """One form of ``spec``: data of its contract, or of the template it carries over from.
    Without a spec, the template of ``templates`` (default: the packaged ones) whose contract
    the data has (the default template when none has)."""
    templates = templates if templates is not None else packaged()
    if spec is None:
        spec = templates.default
        if not _fits(spec, obj):
            spec = next((s for s in templates.specs() if _fits(s, obj)), spec)
    if spec.carry_over and not _fits(spec, obj):
        source = templates.get(spec.carry_over.source)
        if _fits(source, obj):
            return carry_over(Form.from_dict(obj, spec=source, where=where, file=file), spec)
    return Form.from_dict(obj, spec=spec, where=where, file=file)


_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def carry_over(form: Form, spec: Spec) -> Form:
    """A form of ``spec`` started from ``form`` (a form of the template ``spec`` carries over
    from, e.g. a 自评表 from its 绩效目标表), as the spec's ``carry_over`` says."""
    co = spec.carry_over
    if co is None:
        raise DataError(
            _("the template {name} does not start from another form").format(name=spec.name), file=spec.source
        )
    source = form.spec
    numbers = {(b.key, rk, ck) for b in source.amounts for rk, _ in b.row_labels for ck, _ in b.columns}
    columns = {c.key for c in source.indicators.columns}
    missing = [".".join(p) for paths in co.amounts.values() for p in paths if p not in numbers]
    missing += [c for c in co.indicators.values() if c not in columns]
    if missing:
        raise SpecError(
            _("'{missing}' is not a value of {template}").format(missing=missing[0], template=source.name),
            file=spec.source,
            where="carry_over",
        )
    texts = {k: form[k] for k in source.text_keys}
    year = next((m.group() for k in source.text_keys for m in [_YEAR.search(form[k])] if m), "    ")

    def fill(key: str, text: str) -> str:
        def one(m: re.Match) -> str:
            name = m.group(1)
            if name == "year":
                return year
            if name not in texts:
                raise SpecError(
                    _("{{{name}}} is not a text of {template}").format(name=name, template=source.name),
                    file=spec.source,
                    where=f"carry_over.fields.{key}",
                )
            return texts[name]

        return _PLACEHOLDER.sub(one, text)

    data: dict[str, Any] = {key: fill(key, co.fields.get(key, "")) for key in spec.text_keys}
    for block in spec.amounts:
        data[block.key] = {rk: {ck: None for ck in block.inputs} for rk, _ in block.row_labels}
    for (block_key, rk, ck), paths in co.amounts.items():
        values = [form.data[b][r][c] for b, r, c in paths]
        data[block_key][rk][ck] = next((v for v in values if v is not None), None)
    ind = spec.indicators
    data[ind.key] = [carried_row(row, spec, source, co.indicators) for row in form.indicators]
    return Form.from_dict({k: data[k] for k in spec.keys if k in data}, spec=spec)


def load_forms(path: str | Path, *, spec: Spec | None = None, templates: Templates | None = None) -> list[Form]:
    """Read a JSON or YAML data file (forms of ``spec``, or of the template among ``templates``
    whose contract each has)."""
    from .safety import input_errors

    fmt = data_format(path)
    with input_errors(path):
        data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(_("is not UTF-8 text"), file=str(path)) from None
    return parse_forms(text, fmt, file=str(path), spec=spec, templates=templates)


def dump_forms(forms: list[Form], fmt: str) -> str:
    """JSON (an array, indented) or YAML text for ``forms``, keys in form order."""
    data = [f.to_dict() for f in forms]
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    if fmt == "yaml":
        buf = io.StringIO()
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        yaml.dump(data, buf, Dumper=dumper, allow_unicode=True, sort_keys=False, width=10_000)
        return buf.getvalue()
    raise InputError(_("unknown format '{format}'; use json or yaml").format(format=fmt))
