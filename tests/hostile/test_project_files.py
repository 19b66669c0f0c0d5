"""Hostile project files (issue 15, items 4 and 9): every value of the wrong type or range is refused
naming its field, its value and the rule; nothing reaches the database; the CLI exits 2 without a
traceback. Property tests generate files over the schema (``SPEC_TYPES``)."""

from __future__ import annotations

import copy
import itertools
import json
import math
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE, cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from hostile.mutants import SCALE, record
from inspector_app import cli as entry
from inspector_app.app import open_app
from inspector_app.errors import ValidationError
from inspector_app.messages import describe
from inspector_app.models import Building, Project
from inspector_app.services import integrity, projects


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory):
    """One data folder for the refusals (they write nothing: each test checks) and for generated
    projects (each with its own code): opening a folder per example would dominate the run."""
    context = open_app(tmp_path_factory.mktemp("files") / "data", actor="赵工")
    yield context
    context.close()


def project_count(ctx) -> int:
    with ctx.db.read() as s:
        return int(s.scalar(select(func.count()).select_from(Project)) or 0)


def refused(ctx, spec: dict, field: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        projects.create_project(ctx.db, spec)
    assert caught.value.field == field, caught.value.message
    assert project_count(ctx) == 0
    return caught.value


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_a_floor_area_that_is_not_a_finite_number_is_refused(shared, spec, value):
    spec["buildings"][0]["floor_area_m2"] = value
    err = refused(shared, spec, "buildings[1].floor_area_m2")
    assert err.key == "value.not_finite"
    assert "NaN" in describe(err, "en") and "不接受" in err.message


def test_a_nan_floor_area_read_from_toml_never_reaches_verify(ctx, spec, tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8").replace('floor_area_m2 = ', 'floor_area_m2 = nan # ', 1)
    assert "nan #" in text
    (tmp_path / "p.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError, match="floor_area_m2"):
        projects.create_project(ctx.db, projects.load_spec(tmp_path / "p.toml"))
    assert integrity.verify(ctx.db, ctx.store).ok


def test_a_valid_floor_area_is_stored_and_verify_passes(ctx, spec):
    spec["buildings"][0]["floor_area_m2"] = 12345.5
    projects.create_project(ctx.db, spec)
    with ctx.db.read() as s:
        assert s.scalar(select(Building.floor_area_m2).where(Building.name == spec["buildings"][0]["name"])) == 12345.5
    assert integrity.verify(ctx.db, ctx.store).ok


@pytest.mark.parametrize(("where", "value", "field", "key"), [
    (("policy", "insurers", 0, "lead"), "false", "policy.insurers[1].lead", "spec.expect_bool"),
    (("policy", "insurers", 0, "lead"), 1, "policy.insurers[1].lead", "spec.expect_bool"),
    (("buildings", 0, "dwellings"), -5, "buildings[1].dwellings", "spec.out_of_range"),
    (("buildings", 0, "floors_above"), "12", "buildings[1].floors_above", "spec.expect_integer"),
    (("buildings", 0, "floors_above"), 3.5, "buildings[1].floors_above", "spec.expect_integer"),
    (("buildings", 0, "floor_area_m2"), -1.0, "buildings[1].floor_area_m2", "spec.out_of_range_open"),
    (("buildings", 0, "floor_area_m2"), "big", "buildings[1].floor_area_m2", "spec.expect_number"),
    (("project", "name"), "名" * 100_000, "project.name", "value.too_long_given"),
    (("project", "code"), 12, "project.code", "spec.expect_text"),
    (("project", "start_date"), date(9999, 12, 31), "project.start_date", "spec.date_out_of_range"),
    (("project", "start_date"), "9999-12-31", "project.start_date", "spec.date_out_of_range"),
    (("policy", "issued_on"), 20250315, "policy.issued_on", "spec.expect_date"),
    (("policy", "premium_yuan"), "nan", "policy.premium_yuan", "value.not_finite"),
    (("policy", "premium_yuan"), True, "policy.premium_yuan", "spec.expect_amount"),
    (("policy", "insurers", 0, "credit_code"), 91110000, "policy.insurers[1].credit_code", "spec.expect_text"),
    (("policy", "insurers", 0, "share_percent"), math.nan, "policy.insurers[1].share_percent", "value.not_finite"),
    (("policy", "insurers", 0, "share_percent"), "inf", "policy.insurers[1].share_percent", "value.not_finite"),
    (("policy", "insurers", 0, "share_percent"), "140", "policy.insurers[1].share_percent", "spec.out_of_range_open"),
    (("plan", "key_processes"), ["防水", 3], "plan.key_processes", "spec.expect_lines"),
    (("agency", "inspectors", 0, "name"), ["赵工"], "agency.inspectors[1].name", "spec.expect_text"),
])
def test_a_value_of_the_wrong_type_or_range_is_refused_naming_field_value_and_rule(shared, spec, where, value, field, key):
    target: Any = spec
    for part in where[:-1]:
        target = target[part]
    target[where[-1]] = value
    err = refused(shared, spec, field)
    assert err.key == key
    assert err.to_dict()["field"] == field and err.to_dict()["reason"]
    assert field in describe(err, "en")


def test_a_json_file_that_is_not_a_table_is_refused(tmp_path):
    (tmp_path / "p.json").write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        projects.load_spec(tmp_path / "p.json")
    assert caught.value.key == "spec.not_an_object"


@pytest.mark.parametrize("edit", [
    lambda t: t.replace('floor_area_m2 = ', 'floor_area_m2 = nan # ', 1),
    lambda t: t.replace("lead = true", 'lead = "false"', 1),
    lambda t: t.replace('start_date = "2025-04-01"', "start_date = 9999-12-31", 1),
    lambda t: t.replace('issued_on = "2025-03-15"', "issued_on = 2025-03-15T08:00:00", 1),
])
def test_the_cli_refuses_a_hostile_project_file_with_exit_2(tmp_path, capsys, edit):
    text = EXAMPLE.read_text(encoding="utf-8")
    changed = edit(text)
    assert changed != text
    (tmp_path / "p.toml").write_text(changed, encoding="utf-8")
    code, err = run_cli(capsys, tmp_path / "d", "project", "create", "--from", str(tmp_path / "p.toml"))
    assert code == 2, err
    assert err["error"] == "invalid" and err["field"] and err["reason"]


def run_cli(capsys, data_dir: Path, *args: str) -> tuple[int, dict]:
    """The command line in this process (an uncaught exception fails the test): exit code, error."""
    capsys.readouterr()
    code = entry.main(["--data-dir", str(data_dir), "--json", *args])
    err = capsys.readouterr().err
    return code, json.loads(err) if err.strip() else {}


def test_the_real_command_line_refuses_a_nan_area_without_a_traceback(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8").replace("floor_area_m2 = ", "floor_area_m2 = nan # ", 1)
    (tmp_path / "p.toml").write_text(text, encoding="utf-8")
    proc = cli("--json", "project", "create", "--from", str(tmp_path / "p.toml"), data_dir=tmp_path / "d")
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 2, proc.stderr
    assert json.loads(proc.stderr)["key"] == "value.not_finite"


# --- property tests: files generated over the schema ----------------------------------------------

BASE = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
# (path into the example spec, its rule) for every value the example holds
SLOTS: list[tuple[tuple[Any, ...], tuple[Any, ...]]] = []
for _where, _types in projects.SPEC_TYPES.items():
    _section, _listed, _ = _where.partition("[]")
    _parts = tuple(_section.split("."))
    _holder: Any = BASE
    for _p in _parts:
        _holder = _holder.get(_p) if isinstance(_holder, dict) else None
    for _i, _entry in (enumerate(_holder) if _listed and isinstance(_holder, list) else
                       [(None, _holder)] if isinstance(_holder, dict) else []):
        if isinstance(_entry, dict):
            for _name, _rule in _types.items():
                if _name in _entry:
                    SLOTS.append(((*_parts, *(() if _i is None else (_i,)), _name), _rule))

WRONG = {  # values no rule of that kind accepts
    "text": st.one_of(st.integers(), st.floats(), st.booleans(), st.lists(st.text(max_size=3), max_size=2)),
    "date": st.one_of(st.integers(), st.floats(), st.booleans(), st.dates(max_value=date(1900, 1, 1)),
                      st.text(alphabet="0123456789-x", min_size=1, max_size=12).filter(lambda t: not _is_date(t))),
    "bool": st.one_of(st.integers(), st.text(max_size=5), st.floats()),
    "int": st.one_of(st.text(max_size=5), st.floats(), st.booleans(), st.integers(min_value=300_000),
                     st.integers(max_value=-1)),
    "number": st.one_of(st.text(max_size=5), st.booleans(), st.sampled_from([math.nan, math.inf, -math.inf, -1.0, 0]),
                        st.floats(min_value=1e8, allow_infinity=False)),
    "percent": st.one_of(st.booleans(), st.lists(st.integers(), max_size=2),
                         st.sampled_from([math.nan, "nan", "inf", "-Infinity", 0, -5, "101", 150.5])),
    "amount": st.one_of(st.booleans(), st.lists(st.integers(), max_size=2), st.sampled_from([math.nan, "nan", "inf"])),
    "lines": st.one_of(st.integers(), st.text(max_size=5), st.lists(st.integers(), min_size=1, max_size=2)),
}


def _is_date(text: str) -> bool:
    try:
        return projects.EARLIEST <= date.fromisoformat(text) <= projects.LATEST
    except ValueError:
        return False


def _set(spec: dict, where: tuple[Any, ...], value: Any) -> None:
    target: Any = spec
    for part in where[:-1]:
        target = target[part]
    target[where[-1]] = value


def _shown(where: tuple[Any, ...]) -> str:
    out = ""
    for part in where:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


@st.composite
def mutated_specs(draw: st.DrawFn) -> tuple[dict, str]:
    where, rule = draw(st.sampled_from(SLOTS))
    spec = copy.deepcopy(BASE)
    _set(spec, where, draw(WRONG[rule[0]]))
    return spec, _shown(where)


_SERIAL = itertools.count()


@st.composite
def valid_specs(draw: st.DrawFn) -> dict:
    """The example with each free value redrawn within its rule (names, counts, areas, dates)."""
    spec = copy.deepcopy(BASE)
    n = next(_SERIAL)  # each example a new project beside the earlier ones
    spec["project"]["code"] = f"P-{n}"
    spec["policy"]["policy_no"] = f"POL-{n}"
    spec["project"]["name"] = draw(st.text(min_size=1, max_size=200).filter(str.strip))
    spec["project"]["start_date"] = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)))
    for b in spec["buildings"]:
        b["floors_above"] = draw(st.integers(min_value=0, max_value=200))
        b["floors_below"] = draw(st.integers(min_value=0, max_value=20))
        b["floor_area_m2"] = draw(st.one_of(st.none(), st.floats(min_value=0.5, max_value=1e7), st.integers(1, 10**7)))
        b["dwellings"] = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=100_000)))
    return spec


def test_every_value_of_the_example_has_a_rule():
    assert len(SLOTS) >= 30


@settings(max_examples=60 * SCALE, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=mutated_specs())
def test_a_value_of_the_wrong_type_is_refused_by_name_never_a_crash(shared, case):
    spec, field = case
    record("project files", "generated wrong value, refused")
    with pytest.raises(ValidationError) as caught:
        projects.create_project(shared.db, spec)
    assert caught.value.field == field, caught.value.message
    assert describe(caught.value, "en") and caught.value.message
    assert project_count(shared) == 0


@settings(max_examples=15 * SCALE, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=valid_specs())
def test_a_valid_generated_project_file_imports(ctx, spec):
    record("project files", "generated valid, imported")
    detail = projects.create_project(ctx.db, spec)
    assert detail.name == spec["project"]["name"]
    assert [b.floor_area_m2 for b in detail.buildings] == [
        None if b["floor_area_m2"] is None else float(b["floor_area_m2"]) for b in spec["buildings"]]


def test_a_generated_hostile_file_exits_2_on_the_cli(tmp_path, capsys):
    """Generated mutants through the command line's entry point."""
    examples: list[tuple[dict, str]] = []

    @settings(max_examples=10 * SCALE, deadline=None, database=None)
    @given(case=mutated_specs())
    def collect(case: tuple[dict, str]) -> None:
        examples.append(case)

    collect()
    for i, (spec, field) in enumerate(examples):
        path = tmp_path / f"p{i}.json"
        path.write_text(json.dumps(spec, ensure_ascii=False, default=str), encoding="utf-8")
        code, err = run_cli(capsys, tmp_path / "d", "project", "create", "--from", str(path))
        assert code == 2, err
        assert (err["error"], err["field"]) == ("invalid", field)
        record("project files", "generated, refused by the command line (exit 2)")


def test_json_nan_and_infinity_are_refused_from_a_json_file(ctx, tmp_path):
    spec = copy.deepcopy(BASE)
    spec["buildings"][0]["floor_area_m2"] = float("inf")
    path = tmp_path / "p.json"
    path.write_text(json.dumps(spec, ensure_ascii=False, default=str), encoding="utf-8")  # writes Infinity
    assert "Infinity" in path.read_text(encoding="utf-8")
    with pytest.raises(ValidationError, match="floor_area_m2"):
        projects.create_project(ctx.db, projects.load_spec(path))


def test_the_json_dump_of_a_date_is_read_back(tmp_path: Path):
    spec = copy.deepcopy(BASE)
    path = tmp_path / "p.json"
    path.write_text(json.dumps(spec, ensure_ascii=False, default=str), encoding="utf-8")
    assert projects.load_spec(path)["project"]["start_date"] == str(BASE["project"]["start_date"])


@pytest.mark.parametrize("value", [math.nan, math.inf])
def test_no_float_column_takes_nan_or_infinity_whatever_the_way_in(ctx, project, value):
    """The last line: a flush refuses a non-finite float in any table (a visit's temperature here)."""
    from datetime import datetime

    from inspector_app.models import Visit

    with pytest.raises(ValidationError) as caught, ctx.db.write() as s:
        s.add(Visit(project_id=project.id, number=99, started_at=datetime(2025, 5, 20, 9), temperature_c=value))
    assert caught.value.field == "visit.temperature_c" and caught.value.key == "value.not_finite"
    with ctx.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Visit)) == 0
    assert integrity.verify(ctx.db, ctx.store).ok


def test_shares_given_as_text_as_the_window_form_gives_them_are_accepted(ctx, spec):
    for insurer, share in zip(spec["policy"]["insurers"], ("40", "30.5", "29.5"), strict=True):
        insurer["share_percent"] = share
    detail = projects.create_project(ctx.db, spec)
    assert [i.share_percent for i in detail.insurers] == [40, 30.5, 29.5]
