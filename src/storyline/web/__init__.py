"""The web face of the store: server-rendered pages and a JSON API in one FastAPI app.

``create_app(settings)`` builds it (see :mod:`storyline.web.app`); ``storyline serve``
runs it under uvicorn. Pages are readable without JavaScript; everything that came
from a scraped page is escaped, and the Content-Security-Policy forbids inline script.
"""

from storyline.web.app import create_app

__all__ = ["create_app"]
