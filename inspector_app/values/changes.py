"""What a write changed, so a view refreshes only what it touches (Anki's OpChanges).

Every operation in ``services.operations`` returns one; the window applies it on the GUI
thread. Frozen and made of frozen DTOs, so it crosses threads as it is."""

from __future__ import annotations

from dataclasses import dataclass

from .dto import FindingInfo, GateResult, ProjectDetail, VisitInfo


@dataclass(frozen=True, slots=True)
class Changes:
    findings: tuple[FindingInfo, ...] = ()  # rows as they now are (new or updated)
    removed: tuple[int, ...] = ()  # finding ids no longer there
    photos_of: tuple[int, ...] = ()  # findings whose photos (or markup) changed
    gate: GateResult | None = None  # the new gate, when it may have changed
    visits: tuple[VisitInfo, ...] = ()  # visits started or changed
    plan: bool = False  # plan nodes changed (dates, status, visit counts)
    project: bool = False  # header or detail changed
    detail: ProjectDetail | None = None  # the project as it now is, when plan or project changed

    @property
    def empty(self) -> bool:
        return not (self.findings or self.removed or self.photos_of or self.gate or self.visits
                    or self.plan or self.project)

    def finding(self, finding_id: int) -> FindingInfo | None:
        return next((f for f in self.findings if f.id == finding_id), None)

    def touches(self, finding_id: int) -> bool:
        return (finding_id in self.photos_of or finding_id in self.removed
                or any(f.id == finding_id for f in self.findings))

    def merge(self, later: Changes) -> Changes:
        """Both changes as one; where both name the same thing, ``later`` wins."""
        rows = {f.id: f for f in self.findings}
        rows.update((f.id, f) for f in later.findings)
        for gone in later.removed:
            rows.pop(gone, None)
        visits = {v.id: v for v in self.visits}
        visits.update((v.id, v) for v in later.visits)
        return Changes(
            findings=tuple(rows.values()),
            removed=_union(tuple(r for r in self.removed if r not in rows), later.removed),
            photos_of=_union(self.photos_of, later.photos_of),
            gate=later.gate or self.gate,
            visits=tuple(visits.values()),
            plan=self.plan or later.plan,
            project=self.project or later.project,
            detail=later.detail or self.detail,
        )

    __or__ = merge


def _union(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(dict.fromkeys((*a, *b)))
