"""Errors carry a message key and params; the catalogue says them in Chinese and English.

The AST scan below reads every construction of an InspectorError in the core (everything but
``ui/``) and fails on one whose sentence is not a catalogue key, so no refusal can reach an
English-speaking inspector in Chinese only, and no sentence can drift from its key."""

from __future__ import annotations

import ast
import json
import re
from datetime import datetime
from pathlib import Path

import pytest

import inspector_app
from inspector_app.errors import (
    InspectorError,
    NotFound,
    PhotoRejected,
    RuleViolation,
    ValidationError,
)
from inspector_app.messages import MESSAGES, NAMES, describe, placeholders, text
from inspector_app.services import findings, visits
from inspector_app.services.rules import check_transition

CORE = Path(inspector_app.__file__).parent
CJK = re.compile(r"[\u4e00-\u9fff]")


def core_files() -> list[Path]:
    return sorted(p for p in CORE.rglob("*.py") if "ui" not in p.relative_to(CORE).parts[:1])


def _init_params(node: ast.ClassDef) -> list[str] | None:
    for item in node.body:
        if isinstance(item, ast.FunctionDef) and item.name == "__init__":
            return [a.arg for a in [*item.args.posonlyargs, *item.args.args][1:]]
    return None


def error_classes(trees: list[ast.Module]) -> dict[str, list[str]]:
    """Every InspectorError subclass in the core, by name, with its constructor's positional params."""
    defs = {n.name: n for t in trees for n in ast.walk(t) if isinstance(n, ast.ClassDef)}
    known: dict[str, list[str]] = {"InspectorError": _init_params(defs["InspectorError"]) or []}
    grew = True
    while grew:
        grew = False
        for name, node in defs.items():
            base = next((b.id for b in node.bases if isinstance(b, ast.Name) and b.id in known), None)
            if name not in known and base is not None:
                own = _init_params(node)
                known[name] = own if own is not None else known[base]
                grew = True
    return known


def _keyed(arg: ast.expr) -> list[str] | None:
    """The catalogue keys an argument can be, or None when it is no key at all (a sentence, an f-string)."""
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return [arg.value] if arg.value in MESSAGES else None
    if isinstance(arg, ast.IfExp):
        a, b = _keyed(arg.body), _keyed(arg.orelse)
        return a + b if a is not None and b is not None else None
    if isinstance(arg, ast.Attribute) and arg.attr == "key" or isinstance(arg, ast.Name) and arg.id == "key":
        return []  # an existing error's key passed on
    return None


def _literals(arg: ast.expr) -> list[str] | None:
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return [arg.value]
    if isinstance(arg, ast.IfExp):
        a, b = _literals(arg.body), _literals(arg.orelse)
        return a + b if a is not None and b is not None else None
    return None


def problems(source: str, where: str, classes: dict[str, list[str]]) -> tuple[list[str], set[str]]:
    """What is wrong with the error constructions in ``source``, and the keys it uses."""
    found: list[str] = []
    used: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        at = f"{where}:{node.lineno}"
        kwargs = {k.arg for k in node.keywords if k.arg}
        spread = any(k.arg is None for k in node.keywords)
        if name == "phrase":
            keys = _keyed(node.args[0]) if node.args else None
            if keys is None:
                found.append(f"{at}: phrase() without a catalogue key")
            for key in keys or []:
                used.add(key)
                missing = placeholders(MESSAGES[key][0]) - kwargs
                if missing and not spread:
                    found.append(f"{at}: {key} lacks {sorted(missing)}")
            continue
        if name not in classes:
            continue
        params = classes[name]
        args = dict(zip(params, node.args, strict=False))
        required: set[str] = set()
        if "what" in params:  # NotFound: a noun of the catalogue
            nouns = _literals(args["what"]) if "what" in args else None
            if nouns is None or any(f"noun.{n}" not in NAMES for n in nouns):
                found.append(f"{at}: {name} names no catalogue noun")
        if "field" in params and "field" in args:
            fields = _literals(args["field"]) or []
            for field in fields:
                if f"field.{field}" in NAMES:
                    required |= placeholders(NAMES[f"field.{field}"][0])
                elif CJK.search(field):
                    found.append(f"{at}: field {field!r} is a Chinese name, not a catalogue field")
        if "key" not in params:
            continue
        keys = _keyed(args["key"]) if "key" in args else None
        if keys is None:
            found.append(f"{at}: {name}(...) has no message key")
            continue
        for key in keys:
            used.add(key)
            missing = placeholders(MESSAGES[key][0]) | required
            missing -= kwargs | set(params)
            if missing and not spread:
                found.append(f"{at}: {key} lacks {sorted(missing)}")
    return found, used


@pytest.fixture(scope="module")
def scan() -> tuple[dict[str, list[str]], list[str], set[str], set[str]]:
    sources = {p: p.read_text(encoding="utf-8") for p in core_files()}
    classes = error_classes([ast.parse(s) for s in sources.values()])
    found: list[str] = []
    used: set[str] = set()
    constants: set[str] = set()
    for path, source in sources.items():
        f, u = problems(source, str(path.relative_to(CORE.parent)), classes)
        found += f
        used |= u
        constants |= {n.value for n in ast.walk(ast.parse(source))
                      if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    return classes, found, used, constants


def test_every_error_the_core_constructs_has_a_catalogue_key(scan):
    classes, found, used, _ = scan
    assert {"ValidationError", "NotFound", "RuleViolation", "PhotoRejected", "BundleError", "SyncRefused",
            "SyncBusy", "NoKeyring", "Cancelled", "StorageError", "DatabaseTooNew"} <= set(classes)
    assert found == []
    assert len(used) > 120  # the scan really reads the raise sites


def test_the_scan_fails_on_an_unkeyed_raise(scan):
    classes = scan[0]
    bad = '''
def f(x):
    raise RuleViolation(f"{x} 已关闭")
    raise BundleError("数据包中的项目与清单不符")
    raise ValidationError("问题描述", "必填")
    raise ValidationError("finding.description", f"过长：{x}")
    raise NotFound("问题", x)
    raise PhotoRejected(x, "文件不存在")
    raise ValidationError("finding.description", "finding.text_too_long", value=x)
    raise SyncRefused("sync.no_such_key")
    return phrase("sync.receipt.blob")
'''
    found, _ = problems(bad, "bad.py", classes)
    lines = sorted({int(f.split(":")[1]) for f in found})
    assert lines == [3, 4, 5, 6, 7, 8, 9, 10, 11], found
    good = 'raise ValidationError("finding.description", "finding.text_too_long", value=1, limit=2)'
    assert problems(good, "good.py", classes)[0] == []


def test_every_catalogue_entry_has_both_languages_with_the_same_placeholders():
    for key, (zh, en) in {**MESSAGES, **NAMES}.items():
        assert zh.strip() and en.strip(), key
        assert placeholders(zh) == placeholders(en), key
        assert not CJK.search(en), f"{key}: Chinese in the English text"
        for lang in ("zh", "en"):  # every format spec renders ({limit:,}, {share:.0%}, {number:03d}, ...)
            if key in MESSAGES:
                text(key, dict.fromkeys(placeholders(zh), 1), lang)


def test_every_catalogue_key_is_used_by_the_core(scan):
    constants = scan[3]
    assert sorted(k for k in MESSAGES if k not in constants) == []


def test_code_never_branches_on_a_message(scan):
    hits = []
    for path in core_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare):
                parts = [node.left, *node.comparators]
                if any(isinstance(p, ast.Attribute) and p.attr in ("message", "reason") for p in parts):
                    hits.append(f"{path.name}:{node.lineno}")
    assert hits == []


@pytest.fixture
def visit(ctx, project):
    return visits.start_visit(ctx.db, project.id, datetime(2025, 5, 20, 9, 30), node_codes=["N03"],
                              inspectors=["赵工"])


def test_a_refusal_through_a_service_reads_in_english(ctx, visit):
    with pytest.raises(ValidationError) as err:
        findings.record_finding(ctx.db, visit.id, building="1#楼", coverage="WPI-2", division="01", grade="C",
                                description="长" * 2001)
    exc = err.value
    assert exc.key == "finding.text_too_long"
    assert exc.params == {"field": "finding.description", "value": 2001, "limit": 2000}
    assert exc.message == "问题描述: 过长：2001 字，上限 2000 字"
    assert describe(exc, "en") == "Description: too long: 2001 characters, at most 2000"
    assert describe(exc, "en_US") == describe(exc, "en") and describe(exc, "zh_CN") == exc.message


def test_not_found_and_rule_violations_name_things_in_the_readers_language(ctx, visit):
    with pytest.raises(NotFound) as err:
        findings.close_finding(ctx.db, 999, "重复")
    assert describe(err.value, "en") == "Cannot find finding 999" and err.value.message == "找不到问题: 999"
    with pytest.raises(RuleViolation) as rule:
        check_transition("closed", "replied")
    assert describe(rule.value, "en") == "cannot change from “Closed” to “Replied”"
    assert rule.value.message == "不允许从「已关闭」变为「已回复」"
    assert rule.value.params == {"current": "closed", "target": "replied"}


def test_a_photo_rejected_in_a_worker_process_keeps_its_key(ctx, tmp_path):
    from inspector_app.photos.batch import ingest_many

    notes = tmp_path / "notes.jpg"
    notes.write_text("这不是照片", encoding="utf-8")
    [(_, outcome)] = list(ingest_many(ctx.store, [notes], workers=2))
    assert isinstance(outcome, PhotoRejected) and outcome.key == "photo.not_an_image"
    assert outcome.reason == "不是图片：文件内容是 文本文件"
    assert describe(outcome, "en") == f"{notes}: not an image: the file holds text"


def test_to_dict_carries_key_and_params_beside_the_old_fields():
    exc = ValidationError("finding.deadline", "finding.deadline_before_found", deadline="2025-01-01",
                          found_on="2025-05-20")
    d = json.loads(json.dumps(exc.to_dict(), ensure_ascii=False))
    assert d == {"error": "invalid", "message": "整改期限: 2025-01-01 早于发现日期 2025-05-20",
                 "field": "整改期限", "reason": "2025-01-01 早于发现日期 2025-05-20",
                 "key": "finding.deadline_before_found",
                 "params": {"field": "finding.deadline", "deadline": "2025-01-01", "found_on": "2025-05-20"}}
    rejected = PhotoRejected(Path("/x/a.jpg"), "photo.empty").to_dict()
    assert rejected["path"] == "/x/a.jpg" and rejected["reason"] == "文件为空（0 字节）"
    assert rejected["key"] == "photo.empty" and rejected["params"] == {"path": "/x/a.jpg"}


def test_a_text_that_is_no_key_is_shown_as_it_is():
    """The UI raises a few errors of its own, already in the reader's language."""
    exc = InspectorError("“x”不是日期")
    assert exc.message == describe(exc, "en") == "“x”不是日期"
    broken = ValidationError("finding.description", "finding.text_too_long")  # a missing param: no crash
    assert describe(broken, "en") == broken.message


def test_reasons_the_core_writes_into_a_history_are_said_again_in_english():
    from inspector_app.messages import history_reason

    samples = {"text": "已返工，补贴卷材。", "reason": "已返工，补贴卷材。", "finding": "F007",
               "finding_fields": ["location", "deadline"]}
    keys = [k for k in MESSAGES if k.startswith(("history.", "undo.edit", "undo.markup"))]
    assert len(keys) >= 9
    for key in keys:
        params = {p: samples[p] for p in placeholders(MESSAGES[key][0])}
        stored = text(key, params, "zh")
        assert history_reason(stored, "zh") == stored
        assert history_reason(stored, "en") == text(key, params, "en"), key
        assert not CJK.search(history_reason(stored, "en").replace(samples["text"], "")), key
    assert history_reason("撤销：复查后评级", "en") == "Undone: Graded after the re-check"
    assert history_reason("修改 F007 部位、整改期限", "en") == "Edit of F007: Location, Rectification deadline"
    assert history_reason("抽查 10 处搭接宽度均不小于 100 mm。", "en") == "抽查 10 处搭接宽度均不小于 100 mm。"  # typed
    assert history_reason("修改 F007 不是字段", "en") == "修改 F007 不是字段"  # not one the core wrote
