import sqlite3
from datetime import datetime

import pytest

from inspector_app.services import findings, integrity, visits


@pytest.fixture
def recorded(ctx, project):
    v = visits.start_visit(ctx.db, project.id, datetime(2025, 5, 20, 9), node_codes=["N03"], inspectors=["赵工"])
    f = findings.record_finding(ctx.db, v.id, building="1#楼", coverage="WPI-2", division="01", grade="C",
                                description="卷材搭接不足")
    findings.reply_rectification(ctx.db, f.id, "已整改", replied_on=datetime(2025, 5, 22).date())
    return f


def raw(ctx):
    con = sqlite3.connect(ctx.paths.database)
    for trig in ("audit_log_no_update", "audit_log_no_delete"):
        con.execute(f"DROP TRIGGER IF EXISTS {trig}")  # what someone with a SQLite tool could do
    return con


def problems(ctx):
    return integrity.verify(ctx.db, ctx.store).problems


def test_every_change_is_in_the_chain_and_verify_passes(ctx, recorded):
    assert problems(ctx) == []
    con = sqlite3.connect(ctx.paths.database)
    rows = con.execute("SELECT actor, table_name, action FROM audit_log WHERE table_name='finding'").fetchall()
    assert rows == [("赵工", "finding", "insert"), ("赵工", "finding", "update")]


def test_audit_log_is_append_only_in_the_database(ctx, recorded):
    con = sqlite3.connect(ctx.paths.database)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("UPDATE audit_log SET actor='x' WHERE seq=1")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("DELETE FROM audit_log WHERE seq=1")


def test_a_row_edited_outside_the_app_is_detected(ctx, recorded):
    con = raw(ctx)
    con.execute("UPDATE finding SET grade_found='A' WHERE id=?", (recorded.id,))
    con.commit()
    assert any("finding" in p and "不符" in p for p in problems(ctx))


def test_an_edited_audit_entry_is_detected(ctx, recorded):
    con = raw(ctx)
    con.execute("UPDATE audit_log SET data=replace(data, '卷材', '钢筋') WHERE table_name='finding'")
    con.commit()
    assert any("被改动" in p for p in problems(ctx))


def test_a_removed_audit_entry_is_detected(ctx, recorded):
    con = raw(ctx)
    con.execute("DELETE FROM audit_log WHERE seq = 3")
    con.commit()
    assert any("缺少第 3" in p for p in problems(ctx))


def test_a_cut_tail_is_detected(ctx, recorded):
    con = raw(ctx)
    last = con.execute("SELECT max(seq) FROM audit_log").fetchone()[0]
    con.execute("DELETE FROM audit_log WHERE seq = ?", (last,))
    con.commit()
    assert any("截断" in p for p in problems(ctx))


def test_a_deleted_row_is_detected(ctx, recorded):
    con = raw(ctx)
    con.execute("PRAGMA foreign_keys=OFF")
    con.execute("DELETE FROM finding_event")
    con.commit()
    assert any("finding_event" in p and "已被删除" in p for p in problems(ctx))
