"""Write a new Alembic revision from the difference between the models and a fresh database.

Usage: python scripts/makemigration.py "message" --branch catalogi [--depends-on REV]
A new branch starts with --branch NAME --head base; later revisions use --head NAME@head.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from alembic import command

from samenzaak.db import create_engine
from samenzaak.migrate import alembic_config, upgrade_connection


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("message")
    parser.add_argument("--branch", help="branch label for a new branch")
    parser.add_argument("--head", default="heads", help="the revision to build on (base for a new branch)")
    parser.add_argument("--depends-on", default=None)
    parser.add_argument("--rev-id", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite:///{Path(tmp) / 'x.db'}")
        async with engine.begin() as conn:
            await conn.run_sync(upgrade_connection)

            def revise(sync_conn: object) -> None:
                command.revision(
                    alembic_config(sync_conn),  # type: ignore[arg-type]
                    message=args.message,
                    autogenerate=True,
                    head=args.head,
                    branch_label=args.branch,
                    depends_on=args.depends_on,
                    rev_id=args.rev_id,
                )

            await conn.run_sync(revise)
        await engine.dispose()


asyncio.run(main())
