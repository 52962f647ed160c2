"""The ``sheetsync`` command: each command parses options, makes one library call, prints.

Library errors become one line ``Error: …`` on stderr and exit code 2 (``--debug`` shows
the traceback). Reader guesses are printed on stderr as ``warning: …``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from . import i18n
from .cliargs import argv_lang, hoist
from .cliargs import limits as _limits
from .cliargs import progress as _progress
from .i18n import _

i18n.for_command_line(argv_lang(sys.argv[1:]))

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help=_("Render, read and compare 项目支出预算绩效目标表 workbooks as exact data.")
    + "\n\n"
    + _("Global options (before or after the command): --debug, --template-dir FOLDER, --lang zh|en, --version."),
)
_state: dict = {"debug": False, "template_dirs": []}

Template = Annotated[str | None, typer.Option("--template", help=_("Template name or spec file."))]
MaxUnpacked = Annotated[
    int | None, typer.Option("--max-unpacked-mb", help=_("Refuse workbooks that unpack to more (default 1024)."))
]
MaxRatio = Annotated[int | None, typer.Option("--max-ratio", help=_("Refuse parts compressed more than N:1 (200)."))]
Jobs = Annotated[int, typer.Option("--jobs", "-j", help=_("Read files in N processes (folders and many files)."))]


def _errors(errors: list[str]) -> None:
    for e in errors:
        typer.echo(_("Error: {problem} (skipped)").format(problem=e), err=True)


def _templates():
    """The run's templates: --template-dir folders, then SHEETSYNC_TEMPLATES, packaged, plugins."""
    if "templates" not in _state:
        from .catalog import Templates

        _state["templates"] = Templates.from_env(_state["template_dirs"])
    return _state["templates"]


def _warn(guesses, every: bool = False) -> None:
    """Guesses on stderr, repeated ones grouped: at most 4 lines unless ``every``; each alone under --debug."""
    from .grouping import grouped

    lines = [str(g) for g in guesses] if _state["debug"] else grouped(guesses, limit=None if every else 4)
    for line in lines:
        typer.echo(_("warning: {problem}").format(problem=line), err=True)


def _wrote(output: Path, what: str) -> None:
    typer.echo(_("wrote {file} ({what})").format(file=output, what=what), err=True)


def _out(text: str) -> None:
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"sheetsync {version('sheetsync')}")
        raise typer.Exit(0)


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help=_("Show the full traceback on errors."))] = False,
    version: Annotated[
        bool, typer.Option("--version", is_eager=True, callback=_version, help=_("Print the version and exit."))
    ] = False,
    template_dir: Annotated[
        list[Path] | None, typer.Option("--template-dir", help=_("A folder of your own template specs (repeatable)."))
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option("--lang", help=_("Language of messages and reports: zh or en (default: the locale's).")),
    ] = None,
) -> None:
    _state["debug"] = debug
    if lang is not None:
        i18n.for_command_line(lang)
    _state["template_dirs"] = list(template_dir or [])
    _state.pop("templates", None)


def _count(n: int) -> str:
    return i18n.ngettext("{n} form", "{n} forms", n).format(n=n)


@app.command(
    help=_("Write forms to one canonical workbook, one sheet per form, in input order.")
    + "\n\n"
    + _("The template is the data's own unless --template names one; a 自评表 starts from 绩效目标表 data.")
    + "\n\n"
    + _("Example: sheetsync render forms.json -o forms.xlsx")
    + "\n\n"
    + _("Example: sheetsync render --template 自评表 targets.json -o self.xlsx")
)
def render(
    inputs: Annotated[list[Path] | None, typer.Argument(help=_("JSON/YAML data, or any file `read` takes."))] = None,
    output: Annotated[Path, typer.Option("-o", "--output", help=_("The workbook to write (.xlsx)."))] = ...,
    examples: Annotated[bool, typer.Option("--examples", help=_("Render the bundled example forms."))] = False,
    template: Template = None,
) -> None:
    from . import api

    notes = api.render_files(list(inputs or []), output, examples=examples, template=template, templates=_templates())
    _warn(notes.guesses)
    _wrote(output, _count(len(notes.forms)))


@app.command(
    help=_("Read forms back into the data contract (JSON array, YAML, or CSV of indicators).")
    + "\n\n"
    + _("Example: sheetsync read forms.xlsx -o forms.json")
)
def read(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help=_("Workbooks (.xlsx), PDF disclosures, text dumps (.txt/.tsv/.csv), data files, or folders.")
        ),
    ],
    output: Annotated[Path | None, typer.Option("-o", "--output", help=_("Write here instead of stdout."))] = None,
    fmt: Annotated[str | None, typer.Option("--format", "-f", help=_("json (default), yaml or csv."))] = None,
    strict: Annotated[bool, typer.Option("--strict", help=_("Fail instead of guessing."))] = False,
    template: Template = None,
    max_unpacked_mb: MaxUnpacked = None,
    max_ratio: MaxRatio = None,
    jobs: Jobs = 1,
    all_warnings: Annotated[bool, typer.Option("--all-warnings", help=_("Every warning group, not 4 lines."))] = False,
    include_hidden: Annotated[
        bool, typer.Option("--include-hidden", help=_("Read hidden sheets and sheets named as no form too."))
    ] = False,
) -> None:
    from .batch import read_paths
    from .errors import InputError
    from .export import format_forms, write_forms

    limits = _limits(max_unpacked_mb, max_ratio)
    result = read_paths(
        paths,
        jobs=jobs,
        template=template,
        strict=strict,
        limits=limits,
        progress=_progress(),
        templates=_templates(),
        include_hidden=include_hidden,
    )
    errors = result.errors
    if not result.forms:  # several inputs, none readable (one input raises its own error)
        _errors(errors)
        raise InputError(_("no forms could be read from the inputs"))
    _warn(result.guesses, all_warnings)
    _errors(errors)
    if output is not None:
        write_forms(result.forms, output, fmt, inputs=[str(p) for p in paths])
        _wrote(output, _count(len(result.forms)))
    else:
        _out(format_forms(result.forms, fmt or "json"))
    if errors:
        raise typer.Exit(2)


@app.command(
    help=_("Say which values changed between two versions; exit 0 same, 1 different, 2 trouble.")
    + "\n\n"
    + _("Example: sheetsync diff old.xlsx new.xlsx --xlsx changes.xlsx --html changes.html")
)
def diff(
    old: Annotated[Path, typer.Argument(help=_("The earlier version (any file `read` takes)."))],
    new: Annotated[Path, typer.Argument(help=_("The later version."))],
    fmt: Annotated[str, typer.Option("--format", "-f", help=_("text (default), json, markdown or csv."))] = "text",
    output: Annotated[Path | None, typer.Option("-o", "--output", help=_("Write here instead of stdout."))] = None,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help=_("Also write NEW with changed cells marked."))] = None,
    html: Annotated[
        Path | None, typer.Option("--html", help=_("Also write one self-contained HTML page of the changes."))
    ] = None,
    order: Annotated[
        bool, typer.Option("--order", help=_("Also report indicators that only moved up or down."))
    ] = False,
    template: Template = None,
    max_unpacked_mb: MaxUnpacked = None,
    max_ratio: MaxRatio = None,
    jobs: Jobs = 1,
) -> None:
    from . import api, report
    from .safety import check_output, write_text_atomic

    if fmt not in report.DIFF_FORMATS:
        report.format_diff(None, fmt)  # raises the one-line error before any reading
    for report_path, suffix in ((xlsx, ".xlsx"), (html, ".html")):
        if report_path is not None:
            check_output(report_path, [old, new], suffix)  # refuse a bad report path before any work
    limits = _limits(max_unpacked_mb, max_ratio)
    result = api.diff_files(old, new, order=order, template=template, limits=limits, jobs=jobs, templates=_templates())
    _warn(result.old.guesses + result.new.guesses)
    _errors(result.errors)
    if output is not None:
        write_text_atomic(output, report.format_diff(result.diff, fmt), [str(old), str(new)])
    else:
        colour = fmt == "text" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        _out(report.format_diff(result.diff, fmt, colour=colour))
    if xlsx is not None:
        report.diff_xlsx(result.diff, result.new.forms, xlsx, inputs=[str(old), str(new)])
    if html is not None:
        report.diff_html(result.diff, result.new.forms, html, inputs=[str(old), str(new)])
    raise typer.Exit(2 if result.errors else 1 if result.diff else 0)


@app.command(
    help=_("Merge two edits of the same forms; exit 0 merged cleanly, 1 conflicts, 2 trouble.")
    + "\n\n"
    + _("Conflict cells are marked in the merged workbook and listed on its first sheet (冲突).")
    + "\n\n"
    + _("Example: sheetsync merge base.xlsx mine.xlsx theirs.xlsx -o merged.xlsx")
)
def merge(
    base: Annotated[Path, typer.Argument(help=_("The version both edits started from (any file `read` takes)."))],
    ours: Annotated[Path, typer.Argument(help=_("One edited version: yours (git's %A)."))],
    theirs: Annotated[Path, typer.Argument(help=_("The other edited version (git's %B)."))],
    output: Annotated[
        Path, typer.Option("-o", "--output", help=_("The merged workbook (.xlsx); may be OURS, as git's driver asks."))
    ],
    prefer: Annotated[
        str | None, typer.Option("--prefer", help=_("Resolve every conflict for ours or theirs."))
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help=_("The conflicts as text (default) or json."))] = "text",
    template: Template = None,
    max_unpacked_mb: MaxUnpacked = None,
    max_ratio: MaxRatio = None,
) -> None:
    from . import api, conflicts

    conflicts.format_conflicts(None, fmt)  # a bad format or output is refused before any reading
    conflicts.check_merged_output(output, base=base, ours=ours, theirs=theirs)
    limits = _limits(max_unpacked_mb, max_ratio)
    result = api.merge(base, ours, theirs, prefer=prefer, template=template, limits=limits, templates=_templates())
    _warn(result.guesses)
    conflicts.write_merged(result, output, base=base, ours=ours, theirs=theirs)
    _out(conflicts.format_conflicts(result, fmt))
    n = len(result.conflicts)
    conflicts_text = i18n.ngettext("{n} conflict", "{n} conflicts", n).format(n=n)
    _wrote(output, _("{forms}, {conflicts}").format(forms=_count(len(result.forms)), conflicts=conflicts_text))
    raise typer.Exit(0 if result.clean else 1)


@app.command(
    help=_("Print one stable line per field and indicator, for `git diff` on workbooks.")
    + "\n\n"
    + _("Example: sheetsync textconv forms.xlsx")
)
def textconv(
    path: Annotated[Path, typer.Argument(help=_("A workbook, text dump or data file."))],
    template: Template = None,
    max_unpacked_mb: MaxUnpacked = None,
    max_ratio: MaxRatio = None,
) -> None:
    from .reading.files import read_file
    from .report import textconv_lines

    limits = _limits(max_unpacked_mb, max_ratio)
    _out(textconv_lines(read_file(path, template=template, limits=limits, templates=_templates()).forms))


@app.command(
    help=_("Check forms against the indicator framework; exit 0 clean, 1 findings, 2 trouble.")
    + "\n\n"
    + _("Example: sheetsync check forms.xlsx --framework province-framework.yaml")
)
def check(
    paths: Annotated[list[Path], typer.Argument(help=_("Workbooks, text dumps or data files."))],
    fmt: Annotated[str, typer.Option("--format", "-f", help=_("text (default) or json."))] = "text",
    framework: Annotated[
        Path | None, typer.Option("--framework", help=_("Your own indicator framework (YAML)."))
    ] = None,
    template: Template = None,
    max_unpacked_mb: MaxUnpacked = None,
    max_ratio: MaxRatio = None,
    jobs: Jobs = 1,
) -> None:
    import json

    from .check import check as run_check
    from .errors import InputError

    if fmt not in ("text", "json"):
        raise InputError(_("unknown format '{format}'; use {choices}").format(format=fmt, choices="text, json"))
    findings = run_check(
        paths,
        framework=framework,
        template=template,
        limits=_limits(max_unpacked_mb, max_ratio),
        jobs=jobs,
        progress=_progress(),
        templates=_templates(),
    )
    if fmt == "json":
        _out(json.dumps([f.to_json() for f in findings], ensure_ascii=False, indent=2) + "\n")
    else:
        _out("".join(f"{f}\n" for f in findings) or _("no findings") + "\n")
    raise typer.Exit(2 if any(f.rule == "unreadable" for f in findings) else 1 if findings else 0)


@app.command(
    help=_("List the templates found: name, version, where each comes from.")
    + "\n\n"
    + _("Your own specs: --template-dir FOLDER (or SHEETSYNC_TEMPLATES).")
    + " "
    + _("Plugins: entry points in the group sheetsync.templates.")
    + "\n\n"
    + _("Example: sheetsync templates")
)
def templates() -> None:
    _out(_templates().listing())


@app.command(
    help=_("Write an empty, fillable form (labels, borders, dropdowns) for colleagues to fill in.")
    + "\n\n"
    + _("Example: sheetsync new --rows 30 -o blank.xlsx")
)
def new(
    output: Annotated[Path, typer.Option("-o", "--output", help=_("The blank workbook to write (.xlsx)."))],
    rows: Annotated[int, typer.Option("--rows", min=1, max=1000, help=_("Indicator rows to leave room for."))] = 20,
    template: Template = None,
) -> None:
    from .rendering import render_blank

    render_blank(output, template=template, rows=rows, templates=_templates())
    _wrote(
        output,
        i18n.ngettext("a blank form with {n} indicator row", "a blank form with {n} indicator rows", rows).format(
            n=rows
        ),
    )


def main() -> None:
    """Console entry point: library errors become one line and exit code 2."""
    from .errors import SheetsyncError

    try:
        code = app(args=hoist(sys.argv[1:]), prog_name="sheetsync", standalone_mode=False)
        # without standalone mode, typer hands back an Exit's code instead of raising it
        sys.exit(code if isinstance(code, int) else 0)
    except SheetsyncError as e:
        if _state["debug"]:
            raise
        typer.echo(_("Error: {problem}").format(problem=e), err=True)
        sys.exit(2)
    except typer.Exit as e:
        sys.exit(e.exit_code)
    except typer.Abort:
        typer.echo(_("Aborted."), err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        typer.echo(_("Interrupted."), err=True)
        sys.exit(130)
    except Exception as e:
        # usage errors from typer's click (vendored in newer typer, so matched by shape)
        if hasattr(e, "format_message") and hasattr(e, "exit_code") and not _state["debug"]:
            ctx = getattr(e, "ctx", None)
            message = e.format_message()
            if ctx is not None:
                message = _("{problem} (see '{command} --help')").format(problem=message, command=ctx.command_path)
            typer.echo(_("Error: {problem}").format(problem=message), err=True)
            sys.exit(2)
        if _state["debug"]:
            raise
        # a bug, not the user's fault: still one line, and the way to see more
        problem = _("internal error ({error}); run with --debug for the traceback and report it")
        typer.echo(_("Error: {problem}").format(problem=problem.format(error=f"{type(e).__name__}: {e}")), err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
