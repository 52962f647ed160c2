"""Reading any supported input into forms: workbooks, PDFs, text grids and data files."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..catalog import Templates, resolve
from ..errors import Code, DataError, FormatError, Guess, InputError, SheetsyncError, StrictError
from ..i18n import _
from ..model import DATA_SUFFIXES, Form, load_forms
from ..result import ReadResult, Result
from ..spec import PROPERTY_TEMPLATE, Spec
from ..values import label_key
from .grid import SHEET_STATE, Grid
from .interpret import read_grid
from .legacy import xls_grids
from .ods import ods_grids
from .ooxml import workbook_kind
from .pdf import PDF_SUFFIXES, pdf_grids
from .split import split_forms
from .table import indicator_table
from .text import TEXT_SUFFIXES, text_grids
from .xlsb import xlsb_grids
from .xlsx import XlsxPackage

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".et")

__all__ = ["WORKBOOK_SUFFIXES", "ReadResult", "read", "read_file"]


def read_file(
    path: str | Path,
    *,
    template: str | None = None,
    strict: bool = False,
    limits: dict[str, int] | None = None,
    templates: Templates | None = None,
    include_hidden: bool = False,
    progress: Callable[..., None] | None = None,
) -> Result:
    """Read one file (xlsx, pdf, txt/tsv/csv, json/yaml) and say what was guessed.

    Hidden and very hidden sheets, and sheets whose name says they hold no form (汇总, 填表说明:
    the framework's ``reading.not_forms``), are skipped with a note; ``include_hidden`` reads them.

    With ``strict=True`` the first guess raises :class:`StrictError` instead. ``limits``
    overrides the package limits that refuse zip bombs (see ``reading.xlsx.DEFAULT_LIMITS``).
    ``template`` (a name or a spec file) is the template of every form; otherwise each sheet's
    own, among ``templates`` (default: :meth:`Templates.from_env`). ``progress(done, total,
    "pages")`` follows a long PDF page by page.
    """
    templates = resolve(templates)
    spec = templates.get(template)
    p = Path(path)
    suffix = p.suffix.lower()
    if p.is_dir():
        raise InputError(_("is a folder; give the files in it"), file=str(path))
    if not suffix and p.is_file() and _is_zip(p):  # git hands a merge driver its versions without a suffix
        suffix = ".xlsx"
    result = Result(str(path), files=[str(path)])
    if suffix in DATA_SUFFIXES:
        try:
            result.forms = load_forms(p, spec=spec if template else None, templates=templates)
        except RecursionError:  # the parsers recurse once a level
            raise DataError(_("is nested too deep (a form is 4 levels deep)"), file=str(path)) from None
        result.sheets = [f"[{i}]" for i in range(len(result.forms))]
        return result
    if p.name.startswith("~$"):
        raise InputError(
            _("is an Excel lock file (the workbook is open in Excel); read the workbook itself"), file=str(path)
        )
    table = indicator_table(p, templates, spec if template else None) if suffix == ".csv" else None
    if table is not None:
        result.forms, notes = table
        result.guesses.extend(notes)
        result.sheets = [""] * len(result.forms)
        if strict and notes:
            raise StrictError(_("strict reading refused a guess: {guess}").format(guess=notes[0]), file=None)
        return result
    if suffix in TEXT_SUFFIXES:
        specs = [spec] if template else [templates.get(t.name) for t in templates.found()]
        grids = text_grids(p, spec, *_text_words(specs), notes=result.guesses)
        if strict and result.guesses:
            raise StrictError(_("strict reading refused a guess: {guess}").format(guess=result.guesses[0]), file=None)
    elif suffix in WORKBOOK_SUFFIXES:
        grids = _workbook_grids(p, result, limits)
    elif suffix in PDF_SUFFIXES:
        specs = [spec] if template else [templates.get(t.name) for t in templates.found()]
        grids = pdf_grids(p, specs, notes=result.guesses, progress=progress)
    elif not suffix and not p.exists():  # no suffix to go by: a folder or file that is not there
        raise InputError(_("no such file or folder"), file=str(path))
    else:
        raise InputError(
            _(
                "unknown input type '{suffix}'; sheetsync reads .xlsx, .xlsm, .xls, .xlsb, .ods, .et, .pdf, "
                ".txt, .tsv, .csv, .json, .yaml"
            ).format(suffix=suffix),
            file=str(path),
        )
    _read_grids(grids, result, spec if template else None, templates, strict=strict, include_hidden=include_hidden)
    if not result.forms:
        raise FormatError(_("holds no form the reader recognizes (no 项目名称/绩效指标 labels found)"), file=str(path))
    return result


def _text_words(specs: list[Spec]) -> tuple[list[str], list[str]]:
    """The words a cell broken over lines of a text dump is joined back into (labels, level
    names, the reading words of longer-period goals and sets), and the labels of wrapped fields."""
    words = [w for s in specs for lab in s.labels for w in lab.spellings]
    words += [n for s in specs for n in (*s.framework.levels, *s.framework.level2)]
    words += [w for s in specs for w in (*s.framework.reading.long_goals, *s.framework.reading.long_sets)]
    wraps = [w for s in specs for c in s.fields if c.wrap for w in c.label.spellings]
    return words, wraps


def _read_grids(
    grids: Iterable[Grid],
    result: Result,
    spec: Spec | None,
    templates: Templates,
    *,
    strict: bool,
    include_hidden: bool,
) -> None:
    """Each grid's forms into ``result``, or a note saying why the sheet was skipped; ``spec``
    (the template asked for) or else each sheet's own among ``templates``."""
    default = spec or templates.get(None)
    for grid in grids:
        skip = None if include_hidden else _skipped(grid, default)
        if skip:
            result.guesses.append(Guess(skip, grid.source, grid.name, code=Code.SKIPPED_SHEET))
            continue
        grid_spec = spec or _spec_for(grid, default, templates)
        if not _shows_a_label(grid, grid_spec):
            message = _("not a form; skipped")
            if _shows_a_label(grid, grid_spec, raw=True):
                message = _("shows none of the form's labels (a merged cell covers them); not a form, skipped")
            result.guesses.append(Guess(message, grid.source, grid.name, code="not_a_form"))
            if strict:
                raise StrictError(
                    _("strict reading refused a guess: {guess}").format(guess=result.guesses[-1]), file=None
                )
            continue
        for part in split_forms(grid, grid_spec):
            reading = read_grid(part, grid_spec)
            result.guesses.extend(reading.guesses)
            if strict and reading.guesses:
                raise StrictError(
                    _("strict reading refused a guess: {guess}").format(guess=reading.guesses[0]), file=None
                )
            if reading.form is not None:
                result.forms.append(reading.form)
                result.sheets.append(part.name)


def _is_zip(p: Path) -> bool:
    from ..safety import input_errors

    with input_errors(p), open(p, "rb") as f:
        return f.read(4) == b"PK\x03\x04"


def _workbook_grids(p: Path, result: Result, limits: dict[str, int] | None) -> Iterator[Grid]:
    """The workbook's sheets one at a time: each grid is read into a form and dropped, so memory
    stays flat however many sheets the workbook has. The kind of workbook is told by its
    content, not its name (WPS and web systems save .xlsx content under .xls names)."""
    kind = workbook_kind(p)
    if kind == "xls":
        yield from xls_grids(p, limits)
        return
    if kind == "ods":
        yield from ods_grids(p, limits)
        return
    if kind == "xlsb":
        yield from xlsb_grids(p, limits)
        return
    with XlsxPackage(p, limits) as pkg:
        if not pkg.sheets:
            raise InputError(_("the workbook lists no worksheets"), file=str(p))
        if p.suffix.lower() == ".xlsm":
            result.guesses.append(
                Guess(_("macros in this .xlsm are ignored; only values are read"), str(p), code=Code.MACROS)
            )
        yield from pkg.grids()


def read(
    path: str | Path,
    *,
    template: str | None = None,
    strict: bool = False,
    templates: Templates | None = None,
    include_hidden: bool = False,
) -> list[Form]:
    """The forms in ``path``: one per form sheet, in sheet order (see :func:`read_file`)."""
    return read_file(path, template=template, strict=strict, templates=templates, include_hidden=include_hidden).forms


def _skipped(grid: Grid, spec: Spec) -> str | None:
    """Why a sheet is not read: hidden (a backup copy) or named as no form; None to read it."""
    state = grid.properties.get(SHEET_STATE, "visible")
    if state != "visible":
        if state == "veryHidden":
            return _("very hidden sheet skipped (a backup or helper copy; --include-hidden reads it)")
        return _("hidden sheet skipped (a backup or helper copy; --include-hidden reads it)")
    name = label_key(grid.name)
    word = next((w for w in spec.framework.reading.not_forms if label_key(w) in name), None)
    if word is not None:
        return _("sheet skipped: its name says it holds no form ({word}; --include-hidden reads it)").format(word=word)
    return None


_SPELLINGS: dict[int, set[str]] = {}  # by spec (specs live as long as the process)


def _shows_a_label(grid: Grid, spec: Spec, raw: bool = False) -> bool:
    """Whether the sheet, as a spreadsheet shows it, has a label of the form besides its title:
    a merge over the whole grid hides every label, and such a sheet is no form. With `raw`, the
    cells' own values count, shown or hidden."""
    spellings = _SPELLINGS.get(id(spec))
    if spellings is None:
        spellings = {label_key(s) for label in spec.labels if label.text != spec.title for s in label.spellings}
        _SPELLINGS[id(spec)] = spellings
    shown = (label_key(grid.text(*rc) if raw else grid.shown(*rc)) for rc in grid.values)  # stops at the first label
    return any(key in spellings or key.partition("(")[0] in spellings for key in shown if key)


def _spec_for(grid: Grid, default: Spec, templates: Templates) -> Spec:
    """The template a sheet follows: the one its workbook names (rendered by sheetsync), else,
    when several are installed, the one whose labels the sheet shows most of (of those that
    are no variant of another)."""
    named = grid.properties.get(PROPERTY_TEMPLATE)
    if named:
        try:
            return templates.get(named)
        except SheetsyncError:
            pass
    # a variant (the 指标值 in parts …) is read only where a workbook names it: other sheets of
    # its layout are read in the template it varies, what it adds kept in 附加
    specs = [s for s in (templates.get(t.name) for t in templates.found()) if not s.variant_of]
    if len(specs) < 2:
        return default
    keys = {label_key(v) for v in grid.values.values() if isinstance(v, str)}
    top = [label_key(grid.text(r, c)) for r in grid.rows[:6] for c in grid.cols(r)]
    return max(specs, key=lambda s: (_label_score(s, specs, keys) + 3 * _titled(s, specs, top), s is default))


def _titled(spec: Spec, specs: list[Spec], top: list[str]) -> bool:
    """A title near the top names the template (…绩效自评表(2023年度), …绩效目标审批表): the
    spec's ``titles`` words, a longer word of another template winning (目标表 in 自评表)."""
    words = [label_key(w) for w in spec.titles or (spec.name,)]
    longer = [label_key(w) for o in specs if o is not spec for w in o.titles or (o.name,)]
    for t in top:
        for w in words:
            if w in t and not any(w in n and n != w and n in t for n in longer):
                return True
    return False


def _label_score(spec: Spec, specs: list[Spec], keys: set[str]) -> int:
    """How many of ``spec``'s labels the sheet shows that no other template shows too: the
    whole header decides, not one shared column (a 分值 column is in a 目标表 as well)."""
    others = {label_key(s) for o in specs if o is not spec for label in o.labels for s in label.spellings}
    score = 0
    for label in spec.labels:
        own = [k for k in (label_key(s) for s in label.spellings) if k not in others]
        score += any(k in keys for k in own)
    return score
