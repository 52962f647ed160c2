"""A Diff, or forms, as output: terminal text, JSON, Markdown, CSV, an xlsx or HTML report, and the
stable lines of git's textconv. Nothing here compares; it only shows a Diff."""

from .describe import describe_path, describe_values
from .html import diff_html
from .text import DIFF_FORMATS, diff_csv, diff_json, diff_markdown, diff_text, format_diff
from .textconv import textconv_lines
from .xlsx import diff_xlsx

__all__ = [
    "DIFF_FORMATS",
    "describe_path",
    "describe_values",
    "diff_csv",
    "diff_html",
    "diff_json",
    "diff_markdown",
    "diff_text",
    "diff_xlsx",
    "format_diff",
    "textconv_lines",
]
