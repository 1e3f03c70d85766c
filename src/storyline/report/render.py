"""A dossier as Markdown or as one self-contained HTML file, from Jinja2 templates.

HTML: autoescaped, inline CSS, no script and no external asset, and a
Content-Security-Policy that forbids both, so even a mistake in a template cannot
make a mailed dossier run anything. Markdown: every interpolated value is escaped
as Markdown (:mod:`storyline.report.markdown`).
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from storyline.report import markdown
from storyline.report.dossier import Dossier
from storyline.report.labels import attribute_label, labels


class ReportFormat(StrEnum):
    md = "md"
    html = "html"


FORMATS = tuple(f.value for f in ReportFormat)
_TEMPLATES = {ReportFormat.md: "dossier.md.j2", ReportFormat.html: "dossier.html.j2"}


def _loader() -> PackageLoader:
    return PackageLoader("storyline.report", "templates")


@cache
def _environment(fmt: ReportFormat) -> Environment:
    if fmt is ReportFormat.html:
        env = Environment(
            loader=_loader(),
            autoescape=True,  # every template, whatever its name
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=StrictUndefined,
        )
    else:
        env = Environment(
            loader=_loader(),
            autoescape=False,
            finalize=markdown.escape,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            undefined=StrictUndefined,
        )
        env.filters["link"] = markdown.link
    return env


def render(dossier: Dossier, fmt: ReportFormat | str) -> str:
    """The dossier as text in ``fmt`` (``md`` or ``html``)."""
    chosen = ReportFormat(fmt)
    words = labels(dossier.lang)
    context: dict[str, Any] = {
        "d": dossier,
        "words": words,
        "attribute": lambda name: attribute_label(name, words),
    }
    return _environment(chosen).get_template(_TEMPLATES[chosen]).render(context)
