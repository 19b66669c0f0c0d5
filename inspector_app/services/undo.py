"""Undo and redo for edits, in the core so the CLI and the tests can use them too.

Each command carries what it did and how to do the opposite, both as calls into the
services (which audit, validate and commit as usual). Undo of an edit is itself an edit:
the audit log keeps every step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..models.db import Database
from .finding_edits import EDITABLE, edit_finding
from .markup import get_photo, set_markup


@dataclass(frozen=True)
class Command:
    label: str
    redo: Callable[[], Any]
    undo: Callable[[], Any]
    finding_id: int | None = None


class UndoStack:
    """A linear history of commands; a new command after an undo drops the redo branch."""

    def __init__(self, limit: int = 200) -> None:
        self.limit = limit
        self._done: list[Command] = []
        self._undone: list[Command] = []

    def push(self, command: Command) -> None:
        self._done.append(command)
        del self._done[:-self.limit]
        self._undone.clear()

    def can_undo(self) -> bool:
        return bool(self._done)

    def can_redo(self) -> bool:
        return bool(self._undone)

    def undo_label(self) -> str | None:
        return self._done[-1].label if self._done else None

    def redo_label(self) -> str | None:
        return self._undone[-1].label if self._undone else None

    def undo(self) -> Command | None:
        if not self._done:
            return None
        cmd = self._done.pop()
        cmd.undo()  # if the core refuses (finding closed meanwhile), the command stays undone-able
        self._undone.append(cmd)
        return cmd

    def redo(self) -> Command | None:
        if not self._undone:
            return None
        cmd = self._undone.pop()
        cmd.redo()
        self._done.append(cmd)
        return cmd

    def clear(self) -> None:
        self._done.clear()
        self._undone.clear()


def edit_finding_undoable(stack: UndoStack, db: Database, finding_id: int, **changes: Any) -> Any:
    """Edit a finding and push the inverse; nothing is pushed when nothing changed."""
    info, old = edit_finding(db, finding_id, **changes)
    if old:
        new = {k: changes[k] for k in old}
        names = "、".join(EDITABLE[k] for k in old)
        stack.push(Command(f"修改 {info.label} {names}", lambda: edit_finding(db, finding_id, **new),
                           lambda: edit_finding(db, finding_id, **old), finding_id))
    return info


def set_markup_undoable(stack: UndoStack, db: Database, photo_id: int, shapes: list[dict[str, Any]]) -> Any:
    before = get_photo(db, photo_id).markup
    info = set_markup(db, photo_id, shapes)
    if info.markup != before:
        after = info.markup
        stack.push(Command("修改照片标注", lambda: set_markup(db, photo_id, after),
                           lambda: set_markup(db, photo_id, before), info.finding_id))
    return info
