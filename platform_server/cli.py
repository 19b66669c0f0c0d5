"""The command line: ``serve`` runs the server; ``admin`` manages agencies, tokens and
projects directly in the database (the first admin token can only come from here)."""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from pydantic import ValidationError

from .auth import issue_token, revoke_token
from .blob_store import BlobStore
from .database import Database
from .errors import ProtocolError
from .projects import assign_project, create_agency, put_project, unassign_project
from .schemas import MAX_INT32, MAX_TOKEN_DAYS, AgencyIn, ProjectDetailIn
from .settings import Settings
from .uploads import cleanup_abandoned_uploads


def database_url(value: str) -> str:
    """A URL as given, or a file path meaning SQLite."""
    return value if "://" in value else f"sqlite:///{Path(value).resolve()}"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m platform_server", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the HTTP server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--db", help="database URL or SQLite file (default: $PLATFORM_DATABASE_URL or "
                                    "./platform.sqlite3)")
    serve.add_argument("--blobs", help="blob folder (default: $PLATFORM_BLOB_DIR or ./platform-blobs)")
    serve.add_argument("--workers", type=int, default=1, help="worker processes (each stateless)")
    admin = commands.add_parser("admin", help="manage agencies, tokens and projects")
    admin.add_argument("--db", help="database URL or SQLite file (as for serve)")
    actions = admin.add_subparsers(dest="action", required=True)
    actions.add_parser("migrate", help="migrate the schema to the newest revision (idempotent)")
    actions.add_parser("init-db", help="the same as migrate (creates the tables of a new database)")
    cleanup = actions.add_parser("cleanup-uploads", help="remove uploads left open (or failed) for too long")
    cleanup.add_argument("--hours", type=float, help="idle for more than this many hours (default: "
                                                     "$PLATFORM_ABANDONED_UPLOAD_HOURS or 72)")
    cleanup.add_argument("--blobs", help="blob folder (default: $PLATFORM_BLOB_DIR or ./platform-blobs)")
    agency = actions.add_parser("create-agency", help="register a risk-management agency")
    agency.add_argument("code")
    agency.add_argument("name")
    agency.add_argument("--credit-code")
    token = actions.add_parser("create-token", help="issue a bearer token (printed once)")
    token.add_argument("--role", required=True, choices=["admin", "insurer", "agency", "inspector"])
    token.add_argument("--agency", help="agency code (agency and inspector tokens)")
    token.add_argument("--subject", help="the inspector's name, or what the token is for")
    token.add_argument("--days", default="90", help=f"valid for this many days (default 90, at most {MAX_TOKEN_DAYS})")
    token.add_argument("--never-expires", action="store_true", help="no expiry (a bootstrap admin token)")
    revoke = actions.add_parser("revoke-token", help="revoke a token by its id")
    revoke.add_argument("token_id", type=int)
    project = actions.add_parser("put-project", help="register or replace a project from a JSON file")
    project.add_argument("uid")
    project.add_argument("file", type=Path)
    for name in ("assign", "unassign"):
        sub = actions.add_parser(name, help=f"{name} a project to/from an agency")
        sub.add_argument("uid")
        sub.add_argument("agency")
    return parser


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    if args.db:
        os.environ["PLATFORM_DATABASE_URL"] = database_url(args.db)
    if args.blobs:
        os.environ["PLATFORM_BLOB_DIR"] = str(Path(args.blobs).resolve())
    db = Database(Settings.from_env().database_url)
    try:
        db.migrate()  # once, before the workers start (each checks again, finding the head)
    finally:
        db.dispose()
    uvicorn.run("platform_server.api.app:create_app", factory=True, host=args.host, port=args.port,
                workers=args.workers, log_level="info")
    return 0


def _admin(args: argparse.Namespace) -> int:
    db = Database(database_url(args.db) if args.db else Settings.from_env().database_url)
    actions: dict[str, Callable[[], object]] = {
        "migrate": lambda: {"ok": True, "revision": revision},
        "init-db": lambda: {"ok": True, "revision": revision},
        "cleanup-uploads": lambda: _cleanup(db, args),
        "create-agency": lambda: {"created": create_agency(db, AgencyIn(code=args.code, name=args.name,
                                                                        credit_code=args.credit_code))},
        "create-token": lambda: _token(db, args),
        "revoke-token": lambda: _done(revoke_token, db, _token_id(args.token_id)),
        "put-project": lambda: put_project(db, args.uid, _project_file(args.file))[0].as_json(),
        "assign": lambda: _done(assign_project, db, args.uid, args.agency),
        "unassign": lambda: _done(unassign_project, db, args.uid, args.agency),
    }
    try:
        revision = db.migrate()  # every action works on the newest schema
        result = actions[args.action]()
    except ProtocolError as error:
        print(f"error: {error.detail}", file=sys.stderr)
        return 1
    except ValidationError as error:  # a field given on the command line
        for e in error.errors():
            field = ".".join(str(x) for x in e["loc"]) or "value"
            print(f"error: {field} = {str(e.get('input'))[:80]!r}: {e['msg']}", file=sys.stderr)
        return 1
    finally:
        db.dispose()
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


def _done(action: Callable[..., None], *args: object) -> dict[str, object]:
    action(*args)
    return {"done": action.__name__, "args": [a for a in args if not isinstance(a, Database)]}


def _cleanup(db: Database, args: argparse.Namespace) -> dict[str, object]:
    settings = Settings.from_env(blob_dir=Path(args.blobs).resolve() if args.blobs else None)
    hours = settings.abandoned_upload_hours if args.hours is None else args.hours
    if hours < 0:
        raise ProtocolError(422, "invalid_hours", f"--hours must not be negative: {hours}")
    removed = cleanup_abandoned_uploads(db, BlobStore(settings.blob_dir), timedelta(hours=hours))
    return {"removed": removed, "older_than_hours": hours, "blobs": str(settings.blob_dir)}


def _days(text: str) -> float:
    """A token's life in days: a number above 0 and at most MAX_TOKEN_DAYS (a century)."""
    try:
        days = float(text)
    except ValueError:
        days = math.nan
    if not (math.isfinite(days) and 0 < days <= MAX_TOKEN_DAYS):
        raise ProtocolError(422, "invalid_days", f"--days {text}: a token lives more than 0 and at most "
                            f"{MAX_TOKEN_DAYS} days")
    return days


def _token_id(value: int) -> int:
    if not 1 <= value <= MAX_INT32:
        raise ProtocolError(404, "not_found", f"token {value} not found")
    return value


def _project_file(path: Path) -> ProjectDetailIn:
    """The project's detail from a JSON file; the file named in any refusal."""
    try:
        return ProjectDetailIn.model_validate_json(path.read_bytes())
    except OSError as exc:
        raise ProtocolError(422, "unreadable_file", f"{path}: cannot be read ({exc.strerror})") from None
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(x) for x in e['loc']) or 'file'}: {e['msg']}" for e in exc.errors()[:5])
        raise ProtocolError(422, "invalid_project", f"{path}: {problems}") from None


def _token(db: Database, args: argparse.Namespace) -> dict[str, object]:
    token = issue_token(db, args.role, agency_code=args.agency, subject=args.subject,
                        valid_for=None if args.never_expires else timedelta(days=_days(args.days)))
    return {"id": token.id, "token": token.secret, "role": token.role, "agency": token.agency_code,
            "expires_at": token.expires_at.isoformat(timespec="seconds") + "Z" if token.expires_at else None}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return _serve(args) if args.command == "serve" else _admin(args)
