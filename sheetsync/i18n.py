"""Messages in the user's language, through the standard :mod:`gettext` machinery.

Every message meant for a person is written ``_("{file}: no such file").format(file=…)``:
whole sentences with named placeholders, so a translation can reorder them. ``N_`` marks a
text for translation where it is defined and ``_`` translates it where it is shown.

The language is the environment's (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``, as
gettext reads them) unless :func:`use` names one (the CLI's ``--lang``). The catalogue is
``sheetsync/locale/<lang>/LC_MESSAGES/sheetsync.mo``, compiled from the ``.po`` beside it
(``msgfmt -o sheetsync.mo sheetsync.po``; a test keeps the two in step).
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

DOMAIN = "sheetsync"
LOCALEDIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = {"zh": "zh_CN", "en": "en"}  # --lang values and the catalogue each means
_state: dict = {}


def use(lang: str | None = None) -> gettext.NullTranslations:
    """Translate into ``lang`` (``zh``, ``en`` or a locale name such as ``zh_CN``) from now on;
    ``None``: the environment's language. Returns the translations in force."""
    languages = None if lang is None else [LANGUAGES.get(lang, lang)]
    _state["t"] = gettext.translation(DOMAIN, LOCALEDIR, languages=languages, fallback=True)
    _state["lang"] = lang
    return _state["t"]


def for_command_line(lang: str | None) -> None:
    """Also translate the command-line parser's own words (gettext's global domain)."""
    if lang is not None:
        os.environ["LANGUAGE"] = LANGUAGES.get(lang, lang)  # worker processes inherit it too
    gettext.bindtextdomain(DOMAIN, str(LOCALEDIR))
    gettext.textdomain(DOMAIN)
    use(lang)


def _(message: str) -> str:
    """``message`` in the current language (itself where there is no translation)."""
    t = _state.get("t") or use(None)
    return t.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    t = _state.get("t") or use(None)
    return t.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it now."""
    return message


def chinese() -> bool:
    """Whether messages are being translated into Chinese."""
    t = _state.get("t") or use(None)
    return isinstance(t, gettext.GNUTranslations) and (t.info().get("language") or "").startswith("zh")


# The command-line parser's words, which it translates through gettext's global domain.
PARSER_WORDS = (
    N_("Arguments"),
    N_("Options"),
    N_("Commands"),
    N_("Missing command."),
    N_("required"),
    N_("default: {default}"),
    N_("No such command {name!r}."),
    N_("Aborted!"),
)
