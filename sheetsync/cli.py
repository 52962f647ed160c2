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

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help="Render, read and compare 项目支出预算绩效目标表 workbooks as exact data.",
)
_state: dict = {"debug": False, "template_dirs": []}

Template = Annotated[str | None, typer.Option("--template", help="Template name or spec file.")]
MaxUnpacked = Annotated[
    int | None, typer.Option("--max-unpacked-mb", help="Refuse workbooks that unpack to more (default 1024).")
]
MaxRatio = Annotated[int | None, typer.Option("--max-ratio", help="Refuse parts compressed more than N:1 (200).")]
Jobs = Annotated[int, typer.Option("--jobs", "-j", help="Read files in N processes (folders and many files).")]


def _progress():
    """A progress line on stderr for runs over a second, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        return None
    import time

    start = time.monotonic()

    def show(done: int, total: int, unit: str = "files") -> None:
        if time.monotonic() - start > 1:
            end = "\n" if done == total else ""
            sys.stderr.write(f"\rread {done}/{total} {unit}{end}")
            sys.stderr.flush()

    return show


def _errors(errors: list[str]) -> None:
    for e in errors:
        typer.echo(f"Error: {e} (skipped)", err=True)


def _limits(max_unpacked_mb: int | None, max_ratio: int | None) -> dict[str, int] | None:
    limits: dict[str, int] = {}
    if max_unpacked_mb is not None:
        limits["max_total_bytes"] = limits["max_part_bytes"] = max_unpacked_mb * 2**20
    if max_ratio is not None:
        limits["max_ratio"] = max_ratio
    return limits or None


def _templates():
    """The run's templates: --template-dir folders, then SHEETSYNC_TEMPLATES, packaged, plugins."""
    if "templates" not in _state:
        from .catalog import Templates

        _state["templates"] = Templates.from_env(_state["template_dirs"])
    return _state["templates"]


def _warn(guesses, every: bool = False) -> None:
    """Guesses on stderr, repeated ones grouped; at most 4 lines unless ``every``."""
    from .grouping import grouped

    for line in grouped(guesses) if every else grouped(guesses, limit=4):
        typer.echo(f"warning: {line}", err=True)


def _out(text: str) -> None:
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show the full traceback on errors.")] = False,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
    template_dir: Annotated[
        list[Path] | None, typer.Option("--template-dir", help="A folder of your own template specs (repeatable).")
    ] = None,
) -> None:
    _state["debug"] = debug
    _state["template_dirs"] = list(template_dir or [])
    _state.pop("templates", None)
    if version:
        from importlib.metadata import version as v

        typer.echo(f"sheetsync {v('sheetsync')}")
        raise typer.Exit(0)


def _count(n: int) -> str:
    return "1 form" if n == 1 else f"{n} forms"


@app.command()
def render(
    inputs: Annotated[list[Path] | None, typer.Argument(help="JSON/YAML data, or any file `read` takes.")] = None,
    output: Annotated[Path, typer.Option("-o", "--output", help="The workbook to write (.xlsx).")] = ...,
    examples: Annotated[bool, typer.Option("--examples", help="Render the bundled example forms.")] = False,
    template: Template = None,
) -> None:
    """Write forms to one canonical workbook, one sheet per form, in input order.

    The template is the data's own unless --template names one; a 自评表 starts from 绩效目标表 data.

    Example: sheetsync render forms.json -o forms.xlsx

    Example: sheetsync render --template 自评表 targets.json -o self.xlsx
    """
    from . import api

    notes = api.render_files(list(inputs or []), output, examples=examples, template=template, templates=_templates())
    _warn(notes.guesses)
    typer.echo(f"wrote {output} ({_count(len(notes.forms))})", err=True)


@app.command()
def read(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Workbooks (.xlsx), PDF disclosures, text dumps (.txt/.tsv/.csv), data files, or folders."),
    ],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write here instead of stdout.")] = None,
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="json (default), yaml or csv.")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail instead of guessing.")] = False,
    template: Template = None,
    max_unpacked_mb: MaxUnpacked = None,
    max_ratio: MaxRatio = None,
    jobs: Jobs = 1,
    all_warnings: Annotated[bool, typer.Option("--all-warnings", help="Every warning group, not 4 lines.")] = False,
    include_hidden: Annotated[
        bool, typer.Option("--include-hidden", help="Read hidden sheets and sheets named as no form too.")
    ] = False,
) -> None:
    """Read forms back into the data contract (JSON array, YAML, or CSV of indicators).

    Example: sheetsync read forms.xlsx -o forms.json
    """
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
        raise InputError("no forms could be read from the inputs")
    _warn(result.guesses, all_warnings)
    _errors(errors)
    if output is not None:
        write_forms(result.forms, output, fmt, inputs=[str(p) for p in paths])
        typer.echo(f"wrote {output} ({_count(len(result.forms))})", err=True)
    else:
        _out(format_forms(result.forms, fmt or "json"))
    if errors:
        raise typer.Exit(2)


@app.command()
def diff(
    old: Annotated[Path, typer.Argument(help="The earlier version (any file `read` takes).")],
    new: Annotated[Path, typer.Argument(help="The later version.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="text (default), json, markdown or csv.")] = "text",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write here instead of stdout.")] = None,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="Also write NEW with changed cells marked.")] = None,
    html: Annotated[
        Path | None, typer.Option("--html", help="Also write one self-contained HTML page of the changes.")
    ] = None,
    order: Annotated[bool, typer.Option("--order", help="Also report indicators that only moved up or down.")] = False,
    template: Template = None,
    max_unpacked_mb: MaxUnpacked = None,
    max_ratio: MaxRatio = None,
    jobs: Jobs = 1,
) -> None:
    """Say which values changed between two versions; exit 0 same, 1 different, 2 trouble.

    Example: sheetsync diff old.xlsx new.xlsx --xlsx changes.xlsx --html changes.html
    """
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


@app.command()
def merge(
    base: Annotated[Path, typer.Argument(help="The version both edits started from (any file `read` takes).")],
    ours: Annotated[Path, typer.Argument(help="One edited version: yours (git's %A).")],
    theirs: Annotated[Path, typer.Argument(help="The other edited version (git's %B).")],
    output: Annotated[
        Path, typer.Option("-o", "--output", help="The merged workbook (.xlsx); may be OURS, as git's driver asks.")
    ],
    prefer: Annotated[str | None, typer.Option("--prefer", help="Resolve every conflict for ours or theirs.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="The conflicts as text (default) or json.")] = "text",
    template: Template = None,
    max_unpacked_mb: MaxUnpacked = None,
    max_ratio: MaxRatio = None,
) -> None:
    """Merge two edits of the same forms; exit 0 merged cleanly, 1 conflicts, 2 trouble.

    Conflict cells are marked in the merged workbook and listed on its first sheet (冲突).

    Example: sheetsync merge base.xlsx mine.xlsx theirs.xlsx -o merged.xlsx
    """
    from . import api, conflicts

    conflicts.format_conflicts(None, fmt)  # a bad format or output is refused before any reading
    conflicts.check_merged_output(output, base=base, ours=ours, theirs=theirs)
    limits = _limits(max_unpacked_mb, max_ratio)
    result = api.merge(base, ours, theirs, prefer=prefer, template=template, limits=limits, templates=_templates())
    _warn(result.guesses)
    conflicts.write_merged(result, output, base=base, ours=ours, theirs=theirs)
    _out(conflicts.format_conflicts(result, fmt))
    n = len(result.conflicts)
    typer.echo(f"wrote {output} ({_count(len(result.forms))}, {n} conflict{'' if n == 1 else 's'})", err=True)
    raise typer.Exit(0 if result.clean else 1)


@app.command()
def textconv(
    path: Annotated[Path, typer.Argument(help="A workbook, text dump or data file.")],
    template: Template = None,
    max_unpacked_mb: MaxUnpacked = None,
    max_ratio: MaxRatio = None,
) -> None:
    """Print one stable line per field and indicator, for `git diff` on workbooks.

    Example: sheetsync textconv forms.xlsx
    """
    from .reading.files import read_file
    from .report import textconv_lines

    limits = _limits(max_unpacked_mb, max_ratio)
    _out(textconv_lines(read_file(path, template=template, limits=limits, templates=_templates()).forms))


@app.command()
def check(
    paths: Annotated[list[Path], typer.Argument(help="Workbooks, text dumps or data files.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="text (default) or json.")] = "text",
    framework: Annotated[Path | None, typer.Option("--framework", help="Your own indicator framework (YAML).")] = None,
    template: Template = None,
    max_unpacked_mb: MaxUnpacked = None,
    max_ratio: MaxRatio = None,
    jobs: Jobs = 1,
) -> None:
    """Check forms against the indicator framework; exit 0 clean, 1 findings, 2 trouble.

    Example: sheetsync check forms.xlsx --framework province-framework.yaml
    """
    import json

    from .check import check as run_check
    from .errors import InputError

    if fmt not in ("text", "json"):
        raise InputError(f"unknown format '{fmt}'; use text, json")
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
        _out("".join(f"{f}\n" for f in findings) or "no findings\n")
    raise typer.Exit(2 if any(f.rule == "unreadable" for f in findings) else 1 if findings else 0)


@app.command()
def templates() -> None:
    """List the templates found: name, version, where each comes from.

    Your own specs: --template-dir FOLDER (or SHEETSYNC_TEMPLATES); plugins: entry points in
    the group sheetsync.templates.

    Example: sheetsync templates
    """
    from .values import display_width

    found = _templates().found()
    width = max(display_width(t.name) for t in found)
    for t in found:
        _out(f"{t.name}{' ' * (width - display_width(t.name))}  {t.version:<10} {t.source:<10} {t.path}\n")


@app.command()
def new(
    output: Annotated[Path, typer.Option("-o", "--output", help="The blank workbook to write (.xlsx).")],
    rows: Annotated[int, typer.Option("--rows", min=1, max=1000, help="Indicator rows to leave room for.")] = 20,
    template: Template = None,
) -> None:
    """Write an empty, fillable form (labels, borders, dropdowns) for colleagues to fill in.

    Example: sheetsync new --rows 30 -o blank.xlsx
    """
    from .rendering import render_blank

    render_blank(output, template=template, rows=rows, templates=_templates())
    typer.echo(f"wrote {output} (a blank form with {rows} indicator rows)", err=True)


def main() -> None:
    """Console entry point: library errors become one line and exit code 2."""
    from .errors import SheetsyncError

    try:
        code = app(prog_name="sheetsync", standalone_mode=False)
        # without standalone mode, typer hands back an Exit's code instead of raising it
        sys.exit(code if isinstance(code, int) else 0)
    except SheetsyncError as e:
        if _state["debug"]:
            raise
        typer.echo(f"Error: {e}", err=True)
        sys.exit(2)
    except typer.Exit as e:
        sys.exit(e.exit_code)
    except typer.Abort:
        typer.echo("Aborted.", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        typer.echo("Interrupted.", err=True)
        sys.exit(130)
    except Exception as e:
        # usage errors from typer's click (vendored in newer typer, so matched by shape)
        if hasattr(e, "format_message") and hasattr(e, "exit_code") and not _state["debug"]:
            ctx = getattr(e, "ctx", None)
            hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
            typer.echo(f"Error: {e.format_message()}{hint}", err=True)
            sys.exit(2)
        if _state["debug"]:
            raise
        # a bug, not the user's fault: still one line, and the way to see more
        typer.echo(
            f"Error: internal error ({type(e).__name__}: {e}); run with --debug for the traceback and report it",
            err=True,
        )
        sys.exit(2)


if __name__ == "__main__":
    main()
