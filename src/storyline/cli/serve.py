"""``storyline serve``: the web pages and the JSON API over one store, under uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from storyline.cli.common import DbOption, err, fail, settings_for
from storyline.errors import StorylineError

app = typer.Typer()


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8000,
) -> None:
    """Serve the store in a browser (pages at /, API at /api/v1, OpenAPI at /openapi.json).

    Read-only unless STORYLINE_API_TOKEN is set: then POST /api/v1/articles ingests
    pages sent with "Authorization: Bearer <token>".
    """
    import uvicorn

    from storyline.web import create_app

    settings = settings_for(db)
    try:
        web = create_app(settings)
    except StorylineError as error:
        raise fail(error) from None
    mode = "read-write (token set)" if settings.api_token else "read-only"
    err.print(f"storyline: serving http://{host}:{port}/ ({mode}); Ctrl-C stops")
    uvicorn.run(web, host=host, port=port, log_level="warning")
