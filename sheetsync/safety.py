"""Writing outputs so that nothing the user had is ever lost; inputs that would crash a parser.

Every output goes to a temporary file in the target's own folder, is closed and checked,
then renamed over the target in one step. On any failure the old file is untouched and
the temporary file is removed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .errors import InputError, OutputError
from .i18n import _


@contextlib.contextmanager
def input_errors(path: str | Path) -> Iterator[None]:
    """Turn the ways opening an input fails into one-line errors naming the file."""
    try:
        yield
    except FileNotFoundError:
        raise InputError(_("no such file"), file=str(path)) from None
    except IsADirectoryError:
        raise InputError(_("is a folder, not a file"), file=str(path)) from None
    except PermissionError:
        raise InputError(_("cannot be read (permission denied)"), file=str(path)) from None
    except OSError as e:
        raise InputError(_("cannot be read ({reason})").format(reason=e.strerror or e), file=str(path)) from None


def check_output(path: str | Path, inputs: Iterable[str | Path] = (), suffix: str | None = None) -> Path:
    """Refuse an output path whose folder is missing, that is a folder, that is an input, or
    (with ``suffix``) whose name does not end with it."""
    out = Path(path)
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(
            _("the folder '{folder}' does not exist; create it first").format(folder=folder), file=str(path)
        )
    if out.is_dir():
        raise OutputError(_("is a folder; give a file name"), file=str(path))
    if suffix is not None and _special(out):
        suffix = None  # /dev/null or a FIFO takes any kind of output
    for p in inputs:
        with contextlib.suppress(OSError):
            if Path(p).exists() and out.exists() and os.path.samefile(p, out):
                raise OutputError(_("is also an input; write the output to another file"), file=str(path))
    if suffix is not None and out.suffix.lower() != suffix:
        raise OutputError(
            _("sheetsync writes {suffix} files only (never macros); name the output *{suffix}").format(suffix=suffix),
            file=str(path),
        )
    return out


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path`` whole.

    A symbolic link is followed (the file it points to is replaced, the link stays). An
    output that is not a regular file (``/dev/null``, a FIFO, a terminal) is never replaced:
    the result is written through to it, as ``cat > path`` would."""
    out = Path(path)
    if out.is_symlink():
        out = Path(os.path.realpath(out))
    if _special(out):
        with _through(out) as tmp:
            yield tmp
        return
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent if str(out.parent) else ".")
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        if out.exists():
            # keep the permissions the user gave the file they are replacing
            with contextlib.suppress(OSError):
                os.chmod(tmp_path, out.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp_path, 0o666 & ~umask)
        os.replace(tmp_path, out)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise


def _special(path: Path) -> bool:
    """True for an existing output that is not a regular file (a device, a FIFO, a socket)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


@contextlib.contextmanager
def _through(out: Path) -> Iterator[Path]:
    """A private temporary file whose content is then copied into ``out`` (a device or FIFO)."""
    folder = tempfile.mkdtemp(prefix="sheetsync-")
    tmp = Path(folder) / "out"
    try:
        yield tmp
        with open(tmp, "rb") as src, open(out, "wb") as dst:
            shutil.copyfileobj(src, dst)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def write_atomic(
    path: str | Path, write: Callable[[Path], None], inputs: Iterable[str | Path] = (), suffix: str | None = None
) -> None:
    """Check ``path``, then call ``write(tmp)`` and move the result into place."""
    out = check_output(path, inputs, suffix)
    try:
        with atomic_path(out) as tmp:
            write(tmp)
    except OSError as e:
        raise OutputError(_("cannot be written ({reason})").format(reason=e.strerror or e), file=str(path)) from None


def write_text_atomic(
    path: str | Path, text: str, inputs: Iterable[str | Path] = (), *, encoding: str = "utf-8"
) -> None:
    write_atomic(path, lambda tmp: tmp.write_text(text, encoding=encoding, newline=""), inputs)


MAX_NESTING = 1000  # a form is 4 levels deep; libyaml's composer recurses in C once a level


def yaml_too_deep(text: str, loader: type) -> bool:
    """Whether YAML collections nest deeper than :data:`MAX_NESTING`. libyaml's composer
    recurses in C, so 100,000 nested ``[`` crash the interpreter rather than raise
    RecursionError; its event parser does not recurse, so depth is counted on the events first.
    Cheap for ordinary files: only text with that many brackets is parsed twice."""
    import yaml

    if text.count("[") + text.count("{") <= MAX_NESTING:
        return False  # block-style nesting that deep would take gigabytes of indentation
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_NESTING:
                return True
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return False
