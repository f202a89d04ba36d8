"""create_app(settings): routers, error handlers and lifespan; no work at import time."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI

from avatars_server import __version__
from avatars_server.api.errors import install_error_handlers
from avatars_server.api.middleware import BodyLimitMiddleware, RequestIdMiddleware
from avatars_server.api.openapi import install_openapi
from avatars_server.api.routes import (
    auth,
    compatibility,
    datasets,
    health,
    jobs,
    jobs_batch,
    jobs_extended,
    jobs_time_series,
    metrics,
    reports,
    stats,
    users,
)
from avatars_server.config import Settings
from avatars_server.jobs.runner import create_runner
from avatars_server.storage import private_files
from avatars_server.storage.db import make_engine, make_session_factory
from avatars_server.storage.migrate import upgrade_to_head

logger = logging.getLogger(__name__)

ROUTERS = (
    auth.router,
    compatibility.router,
    health.router,
    users.router,
    datasets.router,
    jobs.router,
    jobs_time_series.router,
    jobs_batch.router,
    jobs_extended.router,
    metrics.router,
    reports.router,
    stats.router,
)


def create_app(
    settings: Settings | None = None,
    *,
    start_services: bool = True,
    clock: Callable[[], float] | None = None,
) -> FastAPI:
    """Build the application.

    Args:
        settings: configuration; read from the environment when omitted.
        start_services: open the database and the job runner on startup (False only to
            export the OpenAPI document).
        clock: seconds since the epoch, for the login throttle (tests move it).

    Raises (on startup):
        UnsafeDataDirError: the data directory is writable by other accounts.
    """
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if not start_services:
            yield
            return
        settings.prepare_directories()
        settings.resolved_secret_key()
        engine = make_engine(settings)
        # Files written by older versions (or copied in) become private too.
        private_files.tighten_tree(settings.data_dir)
        upgrade_to_head(engine)
        app.state.engine = engine
        app.state.session_factory = make_session_factory(engine)
        # Jobs left unfinished by a dead server process are marked failed before new ones run.
        runner = create_runner(settings, app.state.session_factory)
        runner.start()
        app.state.runner = runner
        try:
            yield
        finally:
            runner.shutdown()
            engine.dispose()

    app = FastAPI(
        title="Avatar API",
        version=__version__,
        description="Anonymise personal data with the Avatar method.",
        lifespan=lifespan,
        redirect_slashes=False,
        root_path=settings.root_path,
    )
    app.state.settings = settings
    if clock is not None:
        app.state.clock = clock
    install_error_handlers(app)
    install_openapi(app)
    app.add_middleware(
        BodyLimitMiddleware, limit=settings.max_json_body_bytes, root_path=settings.root_path
    )
    # Added last, so outermost: even a refused body gets its X-Request-ID.
    app.add_middleware(RequestIdMiddleware)
    for router in ROUTERS:
        app.include_router(router)
    return app
