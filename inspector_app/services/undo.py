"""Undo and redo for edits, in the core so the CLI and the tests can use them too.

Each command carries what it did and how to do the opposite, both as calls into the
services (which audit, validate and commit as usual). Undo of an edit is itself an edit:
the audit log keeps every step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .. import messages
from ..errors import RuleViolation
from ..models.db import Database
from ..photos import PhotoStore
from .finding_edits import changed_values, edit_finding
from .markup import get_photo, set_markup
from .photos import RemovedPhoto, remove_photo


@dataclass(frozen=True)
class Command:
    """A step in the history. Without ``undo`` it is a step that cannot be undone (a reply, a
    re-check, a status move): it stays on top, so Ctrl+Z never reaches the edits behind it."""

    label: str
    redo: Callable[[], Any] | None
    undo: Callable[[], Any] | None
    finding_id: int | None = None

    @property
    def undoable(self) -> bool:
        return self.undo is not None


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
        return bool(self._done) and self._done[-1].undoable

    def blocked_by(self) -> str | None:
        """The label of the step on top that cannot be undone (None when Ctrl+Z may go back)."""
        return self._done[-1].label if self._done and not self._done[-1].undoable else None

    def can_redo(self) -> bool:
        return bool(self._undone)

    def undo_label(self) -> str | None:
        return self._done[-1].label if self._done else None

    def redo_label(self) -> str | None:
        return self._undone[-1].label if self._undone else None

    def undo(self) -> Command | None:
        if not self._done:
            return None
        cmd = self._done[-1]
        if cmd.undo is None:
            raise RuleViolation("undo.not_undoable", step=cmd.label)
        cmd.undo()  # if the core refuses (finding closed meanwhile), the command stays undone-able
        self._undone.append(self._done.pop())
        return cmd

    def redo(self) -> Command | None:
        if not self._undone:
            return None
        cmd = self._undone[-1]
        if cmd.redo is not None:
            cmd.redo()
        self._done.append(self._undone.pop())
        return cmd

    def clear(self) -> None:
        self._done.clear()
        self._undone.clear()


def edit_finding_undoable(stack: UndoStack, db: Database, finding_id: int, *, reason: str | None = None,
                          **changes: Any) -> Any:
    """Edit a finding and push the inverse; nothing is pushed when nothing changed. The undo of a
    grade or serious change is itself one, recorded with the reason 撤销：<reason>."""
    info, old = edit_finding(db, finding_id, reason=reason, **changes)
    if old:
        new = changed_values(db, finding_id, list(old))
        fields = [k for k in old if k in changes] or list(old)
        back = messages.text("history.undo_reason", {"reason": reason}) if reason else messages.text("history.undo_edit")
        label = messages.text("undo.edit", {"finding": info.label, "finding_fields": fields})
        stack.push(Command(label, lambda: edit_finding(db, finding_id, reason=reason, **new),
                           lambda: edit_finding(db, finding_id, reason=back, **old), finding_id))
    return info


def record_step(stack: UndoStack, step: str, finding: str, finding_id: int | None = None) -> None:
    """Record a step the rules do not let the window undo (``step``: record, reply, verify, close,
    reopen, of the finding labelled ``finding``): Ctrl+Z then says so instead of undoing an older
    edit behind it."""
    stack.push(Command(messages.text(f"undo.step.{step}", {"finding": finding}), None, None, finding_id))


def remove_photo_recorded(stack: UndoStack, db: Database, store: PhotoStore, photo_id: int) -> RemovedPhoto:
    """Remove a photo (``photos.remove_photo``: audited, refused while a report or a check item stands
    on it) and record the removal as a step that cannot be undone: Ctrl+Z then names it instead of
    undoing an older edit behind it. Nothing is recorded when the removal is refused."""
    gone = remove_photo(db, store, photo_id)
    stack.push(Command(messages.text("undo.step.remove_photo", {"name": gone.photo.original_name}), None, None,
                       gone.photo.finding_id))
    return gone


def set_markup_undoable(stack: UndoStack, db: Database, photo_id: int, shapes: list[dict[str, Any]]) -> Any:
    before = get_photo(db, photo_id).markup
    info = set_markup(db, photo_id, shapes)
    if info.markup != before:
        after = info.markup
        stack.push(Command(messages.text("undo.markup"), lambda: set_markup(db, photo_id, after),
                           lambda: set_markup(db, photo_id, before), info.finding_id))
    return info
