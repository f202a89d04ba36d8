"""The `avatars-server` console script: serve, create-user, migrate, verify-report."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from fastapi import FastAPI

from avatars_server.config import Settings
from avatars_server.errors import DomainError
from avatars_server.storage import users
from avatars_server.storage.db import make_engine, make_session_factory, session_scope
from avatars_server.storage.migrate import upgrade_to_head


def app_factory() -> FastAPI:
    """Entry point for uvicorn (also with several workers): settings from the environment."""
    from avatars_server.app import create_app

    return create_app(Settings())


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    uvicorn.run(
        "avatars_server.cli:app_factory",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
    )
    return 0


def _migrate(_args: argparse.Namespace) -> int:
    settings = Settings()
    engine = make_engine(settings)
    upgrade_to_head(engine)
    engine.dispose()
    print(f"Database at {settings.resolved_database_url()} is up to date.")
    return 0


def _create_user(args: argparse.Namespace) -> int:
    password = sys.stdin.readline().rstrip("\r\n") if args.password_stdin else args.password
    if not password:
        print(
            "error: the password is empty. Give one with --password or --password-stdin.",
            file=sys.stderr,
        )
        return 2
    settings = Settings()
    engine = make_engine(settings)
    upgrade_to_head(engine)
    try:
        with session_scope(make_session_factory(engine)) as session:
            user = users.create_user(
                session,
                username=args.name,
                email=args.email,
                password=password,
                role="admin" if args.admin else "user",
            )
            user_id = user.id
    except DomainError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    role = "admin" if args.admin else "user"
    print(f"Created {role} '{args.name}' with id {user_id}.")
    return 0


def _verify_report(args: argparse.Namespace) -> int:
    from pathlib import Path

    from avatars_server.reports.content import ReportContent
    from avatars_server.reports.verify import verify

    try:
        content = ReportContent.from_json(Path(args.report).read_bytes())
        checks = verify(
            content,
            Path(args.original),
            Path(args.avatars),
            Path(args.unshuffled) if args.unshuffled else None,
        )
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for check in checks:
        print(check.line())
    failed = [check.name for check in checks if check.equal is False]
    skipped = [check.name for check in checks if check.equal is None]
    if failed:
        print(
            f"verify-report: FAILED: {', '.join(failed)} differ from the report.", file=sys.stderr
        )
        return 1
    note = f" ({len(skipped)} not checked: {', '.join(skipped)})" if skipped else ""
    print(f"verify-report: OK: every checked value matches the report{note}.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="avatars-server",
        description="Run the Avatar reference server. Configure it with AVATARS_* variables "
        "(AVATARS_DATA_DIR, AVATARS_DATABASE_URL, AVATARS_SECRET_KEY, ...).",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="start the HTTP server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="HTTP worker processes")
    serve.add_argument("--log-level", default="info")
    serve.set_defaults(handler=_serve)

    create = commands.add_parser("create-user", help="create a user (the first admin, say)")
    create.add_argument("name", help="username")
    create.add_argument("--email", default=None)
    secret = create.add_mutually_exclusive_group(required=True)
    secret.add_argument("--password-stdin", action="store_true", help="read it from stdin")
    secret.add_argument("--password", help="the password (visible in the process list)")
    create.add_argument("--admin", action="store_true", help="give the admin role")
    create.set_defaults(handler=_create_user)

    migrate = commands.add_parser("migrate", help="apply database migrations")
    migrate.set_defaults(handler=_migrate)

    check = commands.add_parser(
        "verify-report",
        help="recompute a report's metrics from the data and check its hashes",
        description="Recompute every metric of a report's JSON evidence with this engine, check "
        "the sha256 of each file, print one line per value; exit 0 only when all match.",
    )
    check.add_argument("report", help="the report as JSON (download it with format=json)")
    check.add_argument("--original", required=True, help="the original dataset (CSV or parquet)")
    check.add_argument("--avatars", required=True, help="the shared (shuffled) avatars")
    check.add_argument(
        "--unshuffled",
        default=None,
        help="the sensitive unshuffled avatars; without them privacy metrics are not checked",
    )
    check.set_defaults(handler=_verify_report)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    result: int = args.handler(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
