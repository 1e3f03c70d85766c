"""A story dossier: everything storyline knows about one story, in one file a reader can
mail to a colleague (Markdown or self-contained HTML).

:func:`build_dossier` gathers it from the store as a plain value; :func:`render` turns
that value into text. The two are apart so a test (or another format) can check what a
dossier says without parsing what it looks like.
"""

from __future__ import annotations

from storyline.report.dossier import Dossier, build_dossier
from storyline.report.render import FORMATS, render

__all__ = ["FORMATS", "Dossier", "build_dossier", "render"]
