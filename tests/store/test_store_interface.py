"""The Store as the one way into the SQLite file: statements, atomic blocks, errors."""

from __future__ import annotations

import ast
import re
import sqlite3
from pathlib import Path

import pytest

import storyline
from storyline import StoreError, StoreLockedError
from storyline.store import Store

INSERT = "INSERT INTO rejections (source, reason, at) VALUES (?, 'r', 'now')"


def _sources(store: Store) -> list[str]:
    return [row[0] for row in store.query("SELECT source FROM rejections ORDER BY id")]


def test_a_write_on_a_store_another_process_holds_raises_a_one_line_locked_error(
    tmp_path: Path,
) -> None:
    path = tmp_path / "held.db"
    with Store(path) as holder, Store(path) as other, holder.transaction():
        holder.execute(INSERT, ("holder",))
        other.execute("PRAGMA busy_timeout = 50")  # do not wait the usual 30 s
        with pytest.raises(StoreLockedError) as raised:
            other.execute(INSERT, ("other",))
    message = str(raised.value)
    assert "\n" not in message
    assert "another storyline process" in message and str(path) in message


def test_a_writer_gives_up_with_a_message_when_the_lock_is_never_released(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import storyline.store as store_module

    monkeypatch.setattr(store_module, "WRITER_WAIT", 0.5)
    path = tmp_path / "held.db"
    with (
        Store(path) as holder,
        Store(path) as other,
        holder.transaction(),
        pytest.raises(StoreLockedError, match="locked by another writer"),
        other.transaction(),
    ):
        pass


def test_a_failing_inner_atomic_block_rolls_back_only_itself(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        with store.transaction():
            store.execute(INSERT, ("outer",))
            with store.atomic():
                store.execute(INSERT, ("middle",))
                with pytest.raises(RuntimeError), store.atomic():
                    store.execute(INSERT, ("inner",))
                    raise RuntimeError("annotator failed")
                store.execute(INSERT, ("after inner",))
            store.execute(INSERT, ("after middle",))
        assert _sources(store) == ["outer", "middle", "after inner", "after middle"]
        assert not store.in_transaction


def test_an_atomic_block_outside_a_transaction_is_one(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        with store.atomic():
            store.execute(INSERT, ("kept",))
            assert store.in_transaction
        with pytest.raises(RuntimeError), store.atomic():
            store.execute(INSERT, ("lost",))
            raise RuntimeError
        assert _sources(store) == ["kept"]
        assert not store.in_transaction


def test_a_bad_statement_surfaces_as_a_store_error(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        for run in (
            lambda: store.execute("SELEC 1"),
            lambda: store.executemany("INSERT INTO nowhere VALUES (?)", [(1,)]),
            lambda: store.query("SELECT missing FROM articles"),
            lambda: store.query_one("SELECT missing FROM articles"),
        ):
            with pytest.raises(StoreError) as raised:
                run()
            assert not isinstance(raised.value, StoreLockedError)
            assert isinstance(raised.value.__cause__, sqlite3.Error)  # kept for a traceback
            assert "\n" not in str(raised.value)


def test_a_tracer_sees_each_statement(tmp_path: Path) -> None:
    seen: list[tuple[str, object]] = []
    with Store(tmp_path / "s.db") as store:
        store.trace = lambda sql, params: seen.append((sql, params))
        with store.transaction():
            store.execute(INSERT, ("a",))
            store.executemany(INSERT, iter([("b",), ("c",)]))  # rows left for SQLite to read
        assert store.query_one("SELECT count(*) FROM rejections")[0] == 3  # type: ignore[index]
    assert seen == [
        (INSERT, ("a",)),
        (INSERT, None),
        ("COMMIT", ()),
        ("SELECT count(*) FROM rejections", ()),
    ]


def _package_modules_outside_the_store() -> list[Path]:
    package = Path(storyline.__file__).parent
    store = package / "store"
    return sorted(p for p in package.rglob("*.py") if store not in p.parents)


def test_no_module_outside_the_store_touches_sqlite_or_a_connection() -> None:
    """The issue's `grep -rn "sqlite3\\|\\.db\\." storyline` finds nothing, and no code
    reaches for a `.db` attribute (a connection) at all."""
    offences = []
    for path in _package_modules_outside_the_store():
        text = path.read_text(encoding="utf-8")
        offences += [f"{path.name}: {m.group()}" for m in re.finditer(r"sqlite3|\.db\.", text)]
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Attribute) and node.attr == "db":
                offences.append(f"{path.name}:{node.lineno}: .db")
    assert len(_package_modules_outside_the_store()) > 50  # the walk found the package
    assert offences == []
