"""The templates a run can use: one :class:`Templates` object, built once and passed along.

It holds the user's folders (``--template-dir``, ``SHEETSYNC_TEMPLATES``), the packaged
specs and those of plugins (entry points in ``sheetsync.templates`` naming a folder), and the
specs it has loaded. Nothing in the library reads the environment to find a template where
one is used: the public functions take ``templates=`` and, when it is not given, build one
with :meth:`Templates.from_env` at their start. A ``Templates`` pickles with the specs it
has loaded, so worker processes (``jobs``) see exactly the templates of the parent.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import SpecError
from .i18n import _
from .spec import Spec
from .specfile import load_spec, read_yaml
from .values import display_width

DEFAULT_TEMPLATE = "绩效目标表"
TEMPLATE_DIRS_ENV = "SHEETSYNC_TEMPLATES"  # folders of the user's own specs, separated like PATH
ENTRY_POINT_GROUP = "sheetsync.templates"  # plugins: an entry point naming a folder of specs


@dataclass(frozen=True)
class TemplateInfo:
    """A template found on this system: its name and version, where it came from, its file."""

    name: str
    version: str
    source: str  # "user", "package" or "plugin <distribution>"
    path: Path


def templates_root() -> Any:
    """The packaged templates; in a source checkout that is not installed, the repo's templates/."""
    try:
        return resources.files("sheetsync.templates")
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "templates"


def example_forms_path() -> Path:
    """The folder of bundled example forms (the nine published seed forms)."""
    return Path(str(templates_root() / "examples"))


def _specs_in(folder: Path, source: str) -> list[TemplateInfo]:
    out = []
    if not folder.is_dir():
        return out
    for path in sorted(folder.iterdir()):
        if path.suffix not in (".yaml", ".yml") or path.name == "framework.yaml":
            continue
        data = read_yaml(path, str(path))
        if "blocks" in data and "name" in data:
            out.append(TemplateInfo(str(data["name"]), str(data.get("version", "")), source, path))
    return out


def _plugin_folders() -> list[tuple[str, Path]]:
    from importlib.metadata import entry_points

    out = []
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        where = f"plugin {ep.dist.name if ep.dist else ep.name}"
        try:
            value = ep.load()
            folder = Path(value() if callable(value) else value)
        except Exception as e:  # a broken plugin must not break sheetsync
            raise SpecError(
                _("cannot load its templates ({type}: {e})").format(type=type(e).__name__, e=e), file=where
            ) from None
        out.append((where, folder))
    return out


class Templates:
    """The templates of one run: ``dirs`` (the user's folders, first wins), the packaged specs,
    then plugins' (when ``plugins``). Specs load on first use and are kept.

    ``get(name)`` gives a spec by name or by the path of a spec file (a spec loaded from a
    path is then found by its name too); ``found()`` lists them; ``specs()`` loads them all.
    """

    def __init__(self, dirs: Iterable[str | Path] = (), *, plugins: bool = True):
        self.dirs = tuple(Path(d) for d in dirs)
        self.plugins = plugins
        self._specs: dict[str, Spec] = {}
        self._found: dict[bool, tuple[TemplateInfo, ...]] = {}

    @classmethod
    def from_env(cls, dirs: Iterable[str | Path] = (), *, plugins: bool = True) -> Templates:
        """``dirs``, then the folders in ``SHEETSYNC_TEMPLATES``: the one place the environment is read."""
        env = [d for d in os.environ.get(TEMPLATE_DIRS_ENV, "").split(os.pathsep) if d]
        return cls([*dirs, *env], plugins=plugins)

    def __repr__(self) -> str:
        return f"Templates({[str(d) for d in self.dirs]}, plugins={self.plugins})"

    def __getstate__(self) -> dict[str, Any]:
        return {"dirs": self.dirs, "plugins": self.plugins, "_specs": self._specs, "_found": self._found}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def found(self, *, plugins: bool | None = None) -> list[TemplateInfo]:
        """Every template: the user's folders first, then the packaged ones, then plugins'.
        The first of a name wins."""
        plugins = self.plugins if plugins is None else plugins and self.plugins
        if plugins not in self._found:
            found: list[TemplateInfo] = []
            for folder in self.dirs:
                found.extend(_specs_in(folder, "user"))
            found.extend(_specs_in(Path(str(templates_root())), "package"))
            if plugins:
                for source, folder in _plugin_folders():
                    found.extend(_specs_in(folder, source))
            seen: set[str] = set()
            self._found[plugins] = tuple(t for t in found if not (t.name in seen or seen.add(t.name)))
        return list(self._found[plugins])

    def listing(self) -> str:
        """The templates found, one line each in columns: name, version, where from, path."""
        found = self.found()
        width = max(display_width(t.name) for t in found)
        return "".join(
            f"{t.name}{' ' * (width - display_width(t.name))}  {t.version:<10} {t.source:<10} {t.path}\n" for t in found
        )

    def get(self, name: str | None = None) -> Spec:
        """The template called ``name`` (the default, 绩效目标表, when None), or the spec file at a path."""
        name = name or DEFAULT_TEMPLATE
        if name in self._specs:
            return self._specs[name]
        if name.endswith((".yaml", ".yml")):
            spec = load_spec(Path(name))
            self._specs[name] = self._specs[spec.name] = spec  # the file given wins over a found one of its name
            return spec
        for plugins in (False, True):  # plugins are looked at only when needed: scanning them costs start-up
            for info in self.found(plugins=plugins):
                if info.name == name:
                    label = f"templates/{info.path.name}" if info.source == "package" else str(info.path)
                    self._specs[name] = spec = load_spec(info.path, label)
                    return spec
        raise SpecError(
            _("no template called '{name}'; 'sheetsync templates' lists the installed ones").format(name=name),
            file="templates",
        )

    @property
    def default(self) -> Spec:
        """The default template, 绩效目标表."""
        return self.get(DEFAULT_TEMPLATE)

    def specs(self) -> list[Spec]:
        """Every template found, loaded, and any spec loaded from a path."""
        out = {t.name: self.get(t.name) for t in self.found()}
        for spec in self._specs.values():
            out.setdefault(spec.name, spec)
        return list(out.values())


_PACKAGED: list[Templates] = []


def packaged() -> Templates:
    """The packaged templates alone (no user folders, no plugins, nothing from the environment):
    what a :class:`~sheetsync.model.Form` made without a spec is of."""
    if not _PACKAGED:
        _PACKAGED.append(Templates(plugins=False))
    return _PACKAGED[0]


def resolve(templates: Templates | None) -> Templates:
    """``templates``, or the run's templates from the environment (public functions call this once)."""
    return templates if templates is not None else Templates.from_env()


def get_spec(name: str = DEFAULT_TEMPLATE, templates: Templates | None = None) -> Spec:
    """The template called ``name``, or the spec file at a path (see :class:`Templates`)."""
    return resolve(templates).get(name)
