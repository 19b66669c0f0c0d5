"""Autogenerate the next migration of the platform database from platform_server/models.py.

    .venv/bin/python scripts/platform_revision.py "add the inspection plan tables"

A scratch SQLite database is upgraded to the current head, compared with the models, and the
difference written to platform_server/migrations/versions/<NNNN>_<slug>.py (NNNN: the head's
number + 1). Nothing is written when the models and the head agree. Read the file before
committing it: autogenerate does not see renames (it drops and adds), and a new NOT NULL
column on a table with rows needs a server_default or a data step.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from alembic import command  # noqa: E402
from alembic.script import ScriptDirectory  # noqa: E402
from sqlalchemy import MetaData, create_engine  # noqa: E402

from platform_server.database import Database, alembic_config  # noqa: E402


def next_revision_id(script: ScriptDirectory) -> str:
    head = script.get_current_head()
    return "0001" if head is None else f"{int(head) + 1:04d}"


def autogenerate(message: str, *, rev_id: str | None = None,
                 target_metadata: MetaData | None = None) -> Path | None:
    """The new revision file, or None when the models match the head."""
    script = ScriptDirectory.from_config(alembic_config())
    rev_id = rev_id or next_revision_id(script)
    empty = False

    def skip_empty(_context: Any, _revision: Any, directives: list[Any]) -> None:
        nonlocal empty
        if directives[0].upgrade_ops.is_empty():
            empty = True
            directives[:] = []

    with tempfile.TemporaryDirectory(prefix="platform-revision-") as scratch:
        url = f"sqlite:///{Path(scratch) / 'scratch.sqlite3'}"
        if script.get_current_head() is not None:
            db = Database(url)
            db.migrate()
            db.dispose()
        engine = create_engine(url)
        try:
            with engine.begin() as connection:
                cfg = alembic_config(connection)
                cfg.attributes["process_revision_directives"] = skip_empty
                if target_metadata is not None:
                    cfg.attributes["target_metadata"] = target_metadata
                made = command.revision(cfg, message, autogenerate=True, rev_id=rev_id)
        finally:
            engine.dispose()
    if empty or made is None:
        return None
    written = made[0] if isinstance(made, list) else made
    if written is None:
        return None
    path = Path(written.path)
    # the template's "Revises: " line of a first revision, and blank lines autogenerate pads
    path.write_text("\n".join(line.rstrip() for line in path.read_text(encoding="utf-8").splitlines()) + "\n",
                    encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("message", help="what the revision does (also its file name)")
    parser.add_argument("--rev-id", help="the revision id (default: the head's number + 1, 4 digits)")
    args = parser.parse_args(argv)
    path = autogenerate(args.message, rev_id=args.rev_id)
    if path is None:
        print("the models match the head revision: nothing to generate")
        return 0
    print(f"wrote {path.relative_to(ROOT)}: check it, then run "
          ".venv/bin/pytest -q tests/server/test_migrations.py")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
