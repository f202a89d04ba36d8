"""The `avatars-server` console script: serve, create-user, set-password, migrate, access-log,
verify-report."""

from __future__ import annotations

import argparse
import contextlib
import csv
import logging
import sys
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from fastapi import FastAPI
from sqlalchemy import Engine

from avatars_server.config import Settings
from avatars_server.errors import DomainError
from avatars_server.storage import access_log, private_files, users
from avatars_server.storage.db import make_engine, make_session_factory, session_scope
from avatars_server.storage.migrate import upgrade_to_head


def app_factory() -> FastAPI:
    """Entry point for uvicorn (also with several workers): settings from the environment."""
    from avatars_server.app import create_app

    return create_app(Settings())


def _check_data_dir(settings: Settings) -> bool:
    """Create the data directory (0700); False, with a message, when it is unsafe."""
    try:
        settings.prepare_directories()
    except private_files.UnsafeDataDirError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return False
    return True


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    if not _check_data_dir(Settings()):
        return 2
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
    if not _check_data_dir(settings):
        return 2
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
    if not _check_data_dir(settings):
        return 2
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


def _open_database(settings: Settings) -> Engine | None:
    if not _check_data_dir(settings):
        return None
    engine = make_engine(settings)
    upgrade_to_head(engine)
    return engine


def _set_password(args: argparse.Namespace) -> int:
    password = sys.stdin.readline().rstrip("\r\n") if args.password_stdin else args.password
    if not password:
        print("error: the password is empty.", file=sys.stderr)
        return 2
    engine = _open_database(Settings())
    if engine is None:
        return 2
    try:
        with session_scope(make_session_factory(engine)) as session:
            user = users.get_user_by_login(session, args.name)
            if user is None:
                print(f"error: no user named '{args.name}'.", file=sys.stderr)
                return 1
            users.set_password(session, user, password)
    finally:
        engine.dispose()
    print(f"Password of '{args.name}' changed; the tokens issued before no longer work.")
    return 0


_LOG_COLUMNS = (
    "time",
    "user",
    "operation",
    "dataset_id",
    "report_id",
    "job_id",
    "request_id",
    "client_address",
)


def _parse_since(text: str) -> datetime:
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _access_log(args: argparse.Namespace) -> int:
    try:
        since = _parse_since(args.since) if args.since else None
        dataset_id = uuid.UUID(args.dataset) if args.dataset else None
    except ValueError as exc:
        print(
            f"error: {exc}. Give --since as an ISO date (2026-12-01 or 2026-12-01T08:00Z) "
            "and --dataset as a dataset id (UUID).",
            file=sys.stderr,
        )
        return 2
    engine = _open_database(Settings())
    if engine is None:
        return 2
    try:
        with session_scope(make_session_factory(engine)) as session:
            user_id = None
            if args.user:
                user = users.get_user_by_login(session, args.user)
                if user is None:
                    print(f"error: no user named '{args.user}'.", file=sys.stderr)
                    return 1
                user_id = user.id
            records = access_log.find_access(
                session, user_id=user_id, dataset_id=dataset_id, since=since
            )
    finally:
        engine.dispose()
    rows = [
        [
            record.at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            record.username or str(record.user_id),
            record.operation,
            str(record.dataset_id or ""),
            str(record.report_id or ""),
            str(record.job_id or ""),
            record.request_id or "",
            record.client_address or "",
        ]
        for record in records
    ]
    if args.csv:
        with contextlib.ExitStack() as stack:
            out = (
                sys.stdout
                if args.csv == "-"
                else stack.enter_context(open(args.csv, "w", newline="", encoding="utf-8"))
            )
            writer = csv.writer(out)
            writer.writerow(_LOG_COLUMNS)
            writer.writerows(rows)
        if args.csv != "-":
            print(f"Wrote {len(rows)} record(s) to {args.csv}.")
        return 0
    widths = [max([len(c), *(len(r[i]) for r in rows)]) for i, c in enumerate(_LOG_COLUMNS)]
    for line in [list(_LOG_COLUMNS), *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)))
    print(f"{len(rows)} record(s).")
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

    password = commands.add_parser(
        "set-password", help="change a user's password (ends every token issued before)"
    )
    password.add_argument("name", help="username or email")
    secret = password.add_mutually_exclusive_group(required=True)
    secret.add_argument("--password-stdin", action="store_true", help="read it from stdin")
    secret.add_argument("--password", help="the password (visible in the process list)")
    password.set_defaults(handler=_set_password)

    log = commands.add_parser(
        "access-log",
        help="who downloaded which dataset or report, who started which job, and when",
    )
    log.add_argument("--user", help="only this user (username or email)")
    log.add_argument("--dataset", help="only this dataset id")
    log.add_argument("--since", help="only from this date or time (ISO 8601, UTC by default)")
    log.add_argument("--csv", metavar="FILE", help="write CSV to FILE ('-': standard output)")
    log.set_defaults(handler=_access_log)

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
