"""Reading the YAML files of templates (specs, frameworks): each parsed once while unchanged.

A :class:`~sheetsync.errors.SpecError` names the file when it cannot be read or is no mapping.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import SpecError
from .i18n import _

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~20x faster


_PARSED: dict[tuple, Any] = {}  # (what, path, src, mtime, size) -> a parsed file: each file is parsed once


def _stamp(path: Path | Any) -> tuple | None:
    """What identifies a file's content (its path, time and size); None for a non-file resource."""
    if not isinstance(path, Path):
        return None
    try:
        st = path.stat()
    except OSError:
        return None
    return (str(path.resolve()), st.st_mtime_ns, st.st_size)


def once(what: str, path: Path | Any, src: str, parse: Any) -> Any:
    """``parse()``, once for each version of the file at ``path``."""
    stamp = _stamp(path)
    if stamp is None:
        return parse()
    key = (what, src, *stamp)
    if key not in _PARSED:
        _PARSED[key] = parse()
    return _PARSED[key]


def read_yaml(path: Path | Any, src: str) -> dict:
    """A YAML mapping from a spec or framework file; SpecError names ``src`` otherwise."""
    return once("yaml", path, src, lambda: _read_yaml(path, src))


def _read_yaml(path: Path | Any, src: str) -> dict:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except (OSError, UnicodeDecodeError) as e:
        raise SpecError(_("cannot read the spec: {e}").format(e=e), file=src) from None
    except yaml.YAMLError as e:
        raise SpecError(_("not valid YAML: {error}").format(error=str(e).splitlines()[0]), file=src) from None
    if not isinstance(data, dict):
        raise SpecError(_("a spec must be a YAML mapping"), file=src)
    return data
