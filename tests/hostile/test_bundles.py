"""Hostile and damaged bundles (issue 15, items 7, 8 and 9): limits from the declared sizes and while
reading, only what the rows use is taken, names never become paths, every damage is a BundleError
naming what and why (exit 2, no traceback), and a bundle of a project already here that holds more is
refused naming what differs (exit 1), never silently dropped. Nothing is written on a refusal."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE, cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from hostile.mutants import SCALE, record
from inspector_app import cli as entry
from inspector_app.app import AppContext, open_app
from inspector_app.errors import BundleError, BundleInvalid
from inspector_app.messages import describe
from inspector_app.models import Finding, FindingEvent, Photo, Project
from inspector_app.services import bundle, findings, integrity, projects, visits
from inspector_app.services.demo_photos import make_photo
from inspector_app.services.finding_edits import edit_finding
from inspector_app.services.photos import import_photos


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AppContext, Path, int]]:
    """A small project (the example, a visit, a finding with a photo) and its bundle."""
    root = tmp_path_factory.mktemp("bundle-src")
    ctx = open_app(root / "data", actor="赵工")
    project = projects.create_project(ctx.db, projects.load_spec(EXAMPLE))
    v = visits.start_visit(ctx.db, project.id, datetime(2025, 5, 20, 9), node_codes=["N03"], inspectors=["赵工"])
    f = findings.record_finding(ctx.db, v.id, building="1#楼", coverage="WPI-2", division="01", subdivision="0107",
                                grade="C", description="底板防水卷材搭接不足")
    photo = make_photo(root / "p.jpg", scene="generic", label="1", taken_at=datetime(2025, 5, 20, 9, 30), seed=1)
    assert [r.status for r in import_photos(ctx.db, ctx.store, [photo], finding_id=f.id)] == ["imported"]
    bundle.export_project(ctx.db, ctx.store, project.code, root / "ok.zip")
    yield ctx, root / "ok.zip", f.id
    ctx.close()


@pytest.fixture(scope="module")
def empty(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppContext]:
    """One data folder for the refusals: each leaves it empty (``refused`` checks)."""
    ctx = open_app(tmp_path_factory.mktemp("bundle-dst") / "data", actor="赵工")
    yield ctx
    ctx.close()


@pytest.fixture
def dst(tmp_path: Path) -> Iterator[AppContext]:
    ctx = open_app(tmp_path / "dst", actor="赵工")
    yield ctx
    ctx.close()


def counts(ctx: AppContext) -> tuple[int, ...]:
    with ctx.db.read() as s:
        return tuple(int(s.scalar(select(func.count()).select_from(m)) or 0)
                     for m in (Project, Finding, FindingEvent, Photo))


def nothing_written(ctx: AppContext) -> None:
    assert counts(ctx) == (0, 0, 0, 0)
    assert list(ctx.store.iter_stored()) == []
    assert not (ctx.store.originals_root.parent / "reports").exists() or not any(
        p.is_file() for p in (ctx.store.originals_root.parent / "reports").rglob("*"))


def rewrite(src: Path, out: Path, *, data: Callable[[dict], Any] | None = None,
            manifest: Callable[[dict], Any] | None = None, extra: dict[str, bytes] | None = None,
            raw_data: bytes | None = None) -> Path:
    """A copy of the bundle with data.json and/or the manifest changed (the hash of data.json kept
    right, so the change reaches the checks behind it), and ``extra`` entries added."""
    with zipfile.ZipFile(src) as z:
        items = {i.filename: z.read(i.filename) for i in z.infolist()}
    m = json.loads(items["manifest.json"])
    if data is not None or raw_data is not None:
        rows = json.loads(items["data.json"])
        if data is not None:
            data(rows)
        items["data.json"] = raw_data if raw_data is not None else json.dumps(rows, ensure_ascii=False).encode()
        m["files"]["data.json"] = hashlib.sha256(items["data.json"]).hexdigest()
    for name, content in (extra or {}).items():
        items[name] = content
    if manifest is not None:
        manifest(m)
    items["manifest.json"] = json.dumps(m).encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in items.items():
            z.writestr(name, content)
    return out


def refused(ctx: AppContext, path: Path, key: str) -> BundleInvalid:
    with pytest.raises(BundleInvalid) as caught:
        bundle.import_bundle(ctx.db, ctx.store, path)
    assert caught.value.key == key, caught.value.message
    assert describe(caught.value, "en") and "{" not in caught.value.message
    nothing_written(ctx)
    return caught.value


# --- item 7: traversal, unreferenced entries, limits -------------------------------------------

def test_an_entry_named_with_dot_dot_never_brings_a_file_from_elsewhere(source, empty, tmp_path):
    secret = tmp_path / "secret.jpg"
    shutil.copy(next(source[0].store.iter_stored())[1], secret)  # a real photo elsewhere on the disk
    digest = hashlib.sha256(secret.read_bytes()).hexdigest()
    depth = len(Path(empty.store.cache_root).parts)
    name = "photos/" + "../" * depth + str(secret).lstrip("/")
    bad = rewrite(source[1], tmp_path / "bad.zip", extra={name: b"x"},
                  manifest=lambda m: m["files"].update({name: digest}))
    err = refused(empty, bad, "bundle.bad_entry_name")
    assert ".." in err.params["file"]


def test_a_manifest_name_that_is_not_its_hash_is_refused(source, empty, tmp_path):
    def swap(m: dict) -> None:
        name = next(n for n in m["files"] if n.startswith("photos/"))
        m["files"][name] = "0" * 64

    refused(empty, rewrite(source[1], tmp_path / "bad.zip", manifest=swap), "bundle.name_not_hash")


def test_an_entry_the_rows_do_not_use_is_not_taken(source, dst, tmp_path):
    junk = b"%PDF-1.4 unreferenced" + b"\0" * 200_000
    digest = hashlib.sha256(junk).hexdigest()
    name = f"reports/{digest}.pdf"
    ok = rewrite(source[1], tmp_path / "extra.zip", extra={name: junk, "photos/evil.sh": b"rm -rf"},
                 manifest=lambda m: m["files"].update({name: digest}))
    assert bundle.import_bundle(dst.db, dst.store, ok)["imported"] is True
    assert not (dst.store.originals_root.parent / "reports" / digest[:2] / f"{digest}.pdf").exists()
    assert integrity.verify(dst.db, dst.store).ok


def test_data_over_its_limit_is_refused_from_the_declared_size(source, empty, tmp_path, monkeypatch):
    monkeypatch.setattr(bundle, "MAX_DATA", 1000)
    err = refused(empty, source[1], "bundle.entry_too_large")
    assert err.params["file"] == "data.json"


def test_a_zip_bomb_is_refused_by_its_compression_ratio(source, empty, tmp_path):
    bomb = b"[" + b" " * (8 * 2**20) + b"]"
    refused(empty, rewrite(source[1], tmp_path / "bomb.zip", raw_data=bomb), "bundle.entry_ratio")


def test_a_declared_size_that_lies_is_caught_while_reading(source, empty, tmp_path):
    """The central directory says data.json is 100 bytes: reading stops there; the entry is damaged."""
    raw = bytearray(source[1].read_bytes())
    with zipfile.ZipFile(source[1]) as z:
        assert z.getinfo("data.json").file_size > 100
    at = raw.find(b"PK\x01\x02")  # the central directory's entries
    while at != -1:
        name_len = int.from_bytes(raw[at + 28:at + 30], "little")
        if raw[at + 46:at + 46 + name_len] == b"data.json":
            raw[at + 24:at + 28] = (100).to_bytes(4, "little")  # its uncompressed size
            break
        at = raw.find(b"PK\x01\x02", at + 4)
    assert at != -1
    (tmp_path / "lying.zip").write_bytes(bytes(raw))
    refused(empty, tmp_path / "lying.zip", "bundle.entry_damaged")


def test_too_many_entries_are_refused_before_reading(source, empty, tmp_path, monkeypatch):
    monkeypatch.setattr(bundle, "MAX_ENTRIES", 2)  # data.json, manifest.json, one photo
    refused(empty, source[1], "bundle.too_many_entries")


def test_a_name_given_twice_in_the_zip_is_refused(source, empty, tmp_path):
    out = tmp_path / "dup.zip"
    shutil.copy(source[1], out)
    with pytest.warns(UserWarning), zipfile.ZipFile(out, "a") as z:
        z.writestr("data.json", b"{}")
    refused(empty, out, "bundle.duplicate_entry")


# --- item 9: damaged bundles are named refusals ------------------------------------------------

def _flip_in_photo(src: Path, out: Path) -> Path:
    raw = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as z:
        info = next(i for i in z.infolist() if i.filename.startswith("photos/"))
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    raw[start + info.compress_size // 2] ^= 0xFF
    out.write_bytes(bytes(raw))
    return out


DAMAGES: dict[str, tuple[dict[str, Any], str]] = {
    "no files": ({"manifest": lambda m: m.pop("files")}, "bundle.manifest_field"),
    "files not a table": ({"manifest": lambda m: m.update(files=["data.json"])}, "bundle.manifest_field"),
    "no project uid": ({"manifest": lambda m: m.update(project_uid=None)}, "bundle.manifest_field"),
    "empty manifest": ({"manifest": lambda m: m.clear()}, "bundle.wrong_format"),
    "unknown visit": ({"data": lambda d: d["finding"][0].update(visit_id=99999)}, "bundle.dangling_reference"),
    "bad date": ({"data": lambda d: d["finding"][0].update(found_on="2025-13-45")}, "bundle.bad_value"),
    "date not text": ({"data": lambda d: d["visit"][0].update(started_at=20250520)}, "bundle.bad_value"),
    "text in a number": ({"data": lambda d: d["finding"][0].update(number="F1")}, "bundle.bad_value"),
    "code too long": ({"data": lambda d: d["project"][0].update(code="X" * 500)}, "bundle.bad_value"),
    "text too long": ({"data": lambda d: d["project"][0].update(name="名" * 5000)}, "bundle.bad_value"),
    "no id": ({"data": lambda d: d["finding"][0].pop("id")}, "bundle.bad_data"),
    "row not a table": ({"data": lambda d: d["finding"].append(3)}, "bundle.bad_data"),
    "unknown table": ({"data": lambda d: d.update(evil=[{"id": 1}])}, "bundle.bad_data"),
    "no rows": ({"raw_data": b"[]"}, "bundle.bad_data"),
    "nan": ({"data": lambda d: d["building"][0].update(floor_area_m2=float("nan"))},
            "bundle.bad_data"),
    "not null": ({"data": lambda d: d["finding"][0].update(description=None)}, "bundle.bad_value"),
    "unique": ({"data": lambda d: d["finding"].append({**d["finding"][0], "id": 999})}, "bundle.rows_refused"),
    "photo row without its file": ({"data": lambda d: d["photo"][0].update(sha256="a" * 64)}, "bundle.photos_missing"),
}


@pytest.mark.parametrize("case", list(DAMAGES))
def test_a_damaged_bundle_is_a_named_refusal_and_nothing_is_written(source, empty, tmp_path, case):
    change, key = DAMAGES[case]
    record("bundles", "named damage, refused")
    refused(empty, rewrite(source[1], tmp_path / "bad.zip", **change), key)


def test_a_crc_error_is_named(source, empty, tmp_path):
    err = refused(empty, _flip_in_photo(source[1], tmp_path / "crc.zip"), "bundle.entry_damaged")
    assert err.params["file"].startswith("photos/")


def run_cli(capsys, data_dir: Path, *args: str) -> tuple[int, dict, str]:
    """The command line in this process (an uncaught exception fails the test): exit code, error, output."""
    capsys.readouterr()
    code = entry.main(["--data-dir", str(data_dir), "--json", *args])
    out = capsys.readouterr()
    return code, json.loads(out.err) if out.err.strip() else {}, out.out


def test_the_cli_refuses_damaged_bundles_with_exit_2(source, tmp_path, capsys):
    crc = _flip_in_photo(source[1], tmp_path / "crc.zip")
    proc = cli("--json", "import", str(crc), data_dir=tmp_path / "d")  # once through the real command line
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 2, proc.stderr
    assert json.loads(proc.stderr)["key"] == "bundle.entry_damaged"
    bad = [rewrite(source[1], tmp_path / "nofiles.zip", manifest=lambda m: m.pop("files")),
           rewrite(source[1], tmp_path / "fk.zip", data=lambda d: d["finding"][0].update(visit_id=99999)),
           rewrite(source[1], tmp_path / "date.zip", data=lambda d: d["finding"][0].update(found_on="x"))]
    for path in bad:
        code, err, _ = run_cli(capsys, tmp_path / "d", "import", str(path))
        assert code == 2, err
        assert err["error"] == "bundle_invalid" and err["key"].startswith("bundle.")


# --- item 8: a bundle of a project already here --------------------------------------------------

def test_a_newer_export_of_a_project_here_is_refused_naming_what_differs(source, dst, tmp_path, capsys):
    ctx, ok, finding_id = source
    assert bundle.import_bundle(dst.db, dst.store, ok)["imported"] is True
    before = counts(dst)
    again = bundle.import_bundle(dst.db, dst.store, ok)  # the same bundle: nothing to do
    assert again["imported"] is False and counts(dst) == before

    # the other laptop goes on: one finding edited, one new finding with its photo
    edit_finding(ctx.db, finding_id, description="底板防水卷材搭接不足 100 mm")
    with ctx.db.read() as s:
        visit_id = s.scalar(select(Finding.visit_id).where(Finding.id == finding_id))
    f2 = findings.record_finding(ctx.db, visit_id, building="1#楼", coverage="WPI-2", division="01",
                                 subdivision="0107", grade="B", description="阴角附加层缺失")
    photo = make_photo(tmp_path / "q.jpg", scene="generic", label="2", taken_at=datetime(2025, 5, 20, 10), seed=2)
    list(import_photos(ctx.db, ctx.store, [photo], finding_id=f2.id))
    newer = bundle.export_project(ctx.db, ctx.store, finding_code(ctx), tmp_path / "newer.zip")
    with pytest.raises(BundleError) as caught:
        bundle.import_bundle(dst.db, dst.store, Path(newer["path"]))
    err = caught.value
    assert not isinstance(err, BundleInvalid) and err.key == "bundle.differs"
    assert (err.params["findings_new"], err.params["findings_changed"], err.params["photos_new"]) == (1, 1, 1)
    assert err.params["events_new"] >= 1 and err.params["tables"]["finding"] == {"new": 1, "changed": 1}
    assert "sync" in err.message and "project delete" in err.message
    assert "findings 1 new, 1 different" in describe(err, "en")
    assert counts(dst) == before
    assert integrity.verify(dst.db, dst.store).ok

    code, refusal, _ = run_cli(capsys, tmp_path / "dst", "import", newer["path"])
    assert code == 1 and refusal["key"] == "bundle.differs"
    capsys.readouterr()
    assert entry.main(["--data-dir", str(tmp_path / "dst"), "import", str(ok)]) == 0
    assert "已存在，未改动" in capsys.readouterr().out

    # this laptop goes on after the import and is then handed the same (now older) export again:
    # its own history held the bundle's values, so the bundle brings nothing: exit 0
    with dst.db.read() as s:
        here_finding = s.scalar(select(Finding.id))
        here_visit = s.scalar(select(Finding.visit_id))
    edit_finding(dst.db, here_finding, description="本机补充：搭接不足 80 mm")
    findings.record_finding(dst.db, here_visit, building="1#楼", coverage="WPI-2", division="01", subdivision="0107",
                            grade="C", description="本机新问题")
    older = bundle.import_bundle(dst.db, dst.store, ok)
    assert older["imported"] is False and older["only_here"]["finding"] == 1
    # but a finding changed on both sides is a difference the bundle brings
    with pytest.raises(BundleError, match="不同 1 条"):
        bundle.import_bundle(dst.db, dst.store, Path(newer["path"]))


def finding_code(ctx: AppContext) -> str:
    with ctx.db.read() as s:
        return str(s.scalar(select(Project.code)))


# --- property test: bundle mutations -------------------------------------------------------------

def _mutants(source_zip: Path) -> st.SearchStrategy[bytes]:
    raw = source_zip.read_bytes()
    with zipfile.ZipFile(source_zip) as z:
        rows = json.loads(z.read("data.json"))
    cells = [(t, i, c) for t, items in rows.items() for i, r in enumerate(items) for c in r]
    junk = st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=False),
                     st.text(max_size=30), st.lists(st.integers(), max_size=2), st.just({"a": 1}))

    @st.composite
    def cell(draw: st.DrawFn) -> bytes:
        table, i, column = draw(st.sampled_from(cells))
        value = draw(junk)
        buf = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(raw)) as z, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
            data = json.loads(z.read("data.json"))
            data[table][i][column] = value
            body = json.dumps(data, ensure_ascii=False).encode()
            manifest = json.loads(z.read("manifest.json"))
            manifest["files"]["data.json"] = hashlib.sha256(body).hexdigest()
            for info in z.infolist():
                content = body if info.filename == "data.json" else (
                    json.dumps(manifest).encode() if info.filename == "manifest.json" else z.read(info))
                out.writestr(info.filename, content)
        return buf.getvalue()

    @st.composite
    def flipped(draw: st.DrawFn) -> bytes:
        data = bytearray(raw)
        for _ in range(draw(st.integers(1, 4))):
            data[draw(st.integers(0, len(data) - 1))] ^= draw(st.integers(1, 255))
        return bytes(data)

    @st.composite
    def cut(draw: st.DrawFn) -> bytes:
        return raw[:draw(st.integers(0, len(raw) - 1))]

    return st.one_of(cell(), flipped(), cut())


def test_mutated_bundles_import_or_are_refused_by_name_never_a_crash(source, tmp_path_factory):
    root = tmp_path_factory.mktemp("mutants")
    ctx = open_app(root / "data", actor="赵工")
    seen = {"imported": 0, "refused": 0}

    @settings(max_examples=40 * SCALE, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(data=_mutants(source[1]))
    def check(data: bytes) -> None:
        path = root / "m.zip"
        path.write_bytes(data)
        before = counts(ctx)
        try:
            result = bundle.import_bundle(ctx.db, ctx.store, path)
        except BundleError as exc:
            assert exc.key.startswith("bundle.") and describe(exc, "en")
            assert counts(ctx) == before
            seen["refused"] += 1
            record("bundles", "generated, refused")
        else:
            seen["imported"] += 1
            record("bundles", "generated, imported")
            if result["imported"]:  # a harmless change: take it out again for the next example
                assert counts(ctx)[0] == before[0] + 1
        assert integrity.verify(ctx.db, ctx.store).ok

    try:
        check()
    finally:
        ctx.close()
    assert seen["refused"] > 0
