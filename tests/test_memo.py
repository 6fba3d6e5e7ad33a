"""kfguide/model/memo.py (stores that outlive `mkdocs serve` rebuilds) and
kfguide/model/yamltext.py (libyaml with the pure loader's errors)."""

from __future__ import annotations

import pytest
import yaml

from conftest import ROOT
from kfguide.model import memo, yamltext


def test_store_evicts_the_least_recently_used_and_counts():
    store = memo.Store("test", maxsize=2)
    store.put("a", 1)
    store.put("b", 2)
    assert store.get("a") == 1  # a is now the most recent
    store.put("c", 3)  # evicts b
    assert "b" not in store and store.get("b", "gone") == "gone"
    assert (store.get("a"), store.get("c"), len(store)) == (1, 3, 2)
    assert (store.hits, store.misses) == (3, 1)
    store.clear()
    assert (len(store), store.hits, store.misses) == (0, 0, 0)


def test_named_stores_are_shared_in_the_process():
    assert memo.store("shared-test") is memo.store("shared-test")
    assert memo.store("shared-test") is not memo.store("other-test")


def test_digest_depends_on_every_part_and_its_boundaries():
    assert memo.digest("ab", "c") == memo.digest("ab", "c")
    assert memo.digest("ab", "c") != memo.digest("a", "bc")
    assert memo.digest(["a", "b"]) != memo.digest(["ab"])
    assert memo.digest("가") == memo.digest("가".encode("utf-8"))
    assert len(memo.digest("x")) == 32


def test_yamltext_gives_the_pure_loaders_data_and_node_marks():
    text = (ROOT / "data" / "glossary.yml").read_text(encoding="utf-8")
    assert yamltext.safe_load(text) == yaml.load(text, Loader=yaml.SafeLoader)

    def marks(node, out):
        out.append((node.tag, node.start_mark.line, node.start_mark.column, node.end_mark.line,
                    node.value if isinstance(node, yaml.ScalarNode) else None))
        if isinstance(node, yaml.SequenceNode):
            for child in node.value:
                marks(child, out)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                marks(key, out)
                marks(value, out)
        return out

    assert marks(yamltext.compose(text), []) == marks(yaml.compose(text, Loader=yaml.SafeLoader), [])


@pytest.mark.parametrize("call", [yamltext.safe_load, yamltext.compose])
def test_yamltext_errors_are_the_pure_loaders(call):
    bad = "terms:\n  - ko: a\n    en: [b\n"
    with pytest.raises(yaml.YAMLError) as fast:
        call(bad)
    with pytest.raises(yaml.YAMLError) as pure:
        yaml.compose(bad, Loader=yaml.SafeLoader)
    assert str(fast.value) == str(pure.value)
    assert fast.value.problem_mark.line == 3


# --- DiskStore: results a fresh process reads back ----------------------------------------------


def test_disk_store_round_trip_and_keeps_only_what_a_run_used(tmp_path):
    first = memo.disk_store(tmp_path, "t", context="c1")
    assert first.get("a") is None
    first.put("a", [1, "x"])
    first.put("b", {"k": "v"})
    assert first.save() and (tmp_path / ".cache/kfguide/t.json").is_file()
    second = memo.disk_store(tmp_path, "t", context="c1")  # a new process: only the file
    assert second.get("a") == [1, "x"] and (second.hits, second.misses) == (1, 0)
    assert second.save()  # "b" was not used: the file drops it
    third = memo.disk_store(tmp_path, "t", context="c1")
    assert third.get("b") is None and third.get("a") == [1, "x"]
    mtime = (tmp_path / ".cache/kfguide/t.json").stat().st_mtime_ns
    assert not third.save()  # the same entries: nothing written
    assert (tmp_path / ".cache/kfguide/t.json").stat().st_mtime_ns == mtime


def test_disk_store_context_code_damage_and_shape_each_empty_it(tmp_path, monkeypatch):
    store = memo.disk_store(tmp_path, "t", context="c1")
    store.put("a", "value")
    store.save()
    assert memo.disk_store(tmp_path, "t", context="c2").get("a") is None  # another context
    with monkeypatch.context() as m:
        m.setattr(memo, "_CODE", ["other code"])
        assert memo.disk_store(tmp_path, "t", context="c1").get("a") is None  # other code
    assert memo.disk_store(tmp_path, "t", context="c1", load=lambda v: v if isinstance(v, list) else None).get("a") is None
    assert memo.disk_store(tmp_path, "t", context="c1", load=int).get("a") is None  # load raises: a miss
    assert memo.disk_store(tmp_path, "t", context="c1").get("a") == "value"
    path = tmp_path / ".cache/kfguide/t.json"
    for damage in (b"{", b"[]", b'{"context": 3}', b"\xff\xfe"):
        path.write_bytes(damage)
        fresh = memo.disk_store(tmp_path, "t", context="c1")
        assert fresh.get("a", "none") == "none"
        fresh.put("a", "again")
        assert fresh.save()
        assert memo.disk_store(tmp_path, "t", context="c1").get("a") == "again"


def test_disk_store_without_a_root_keeps_nothing(tmp_path):
    store = memo.disk_store(None, "t")
    store.put("a", 1)
    assert store.get("a") == 1 and not store.save()
    assert not (tmp_path / ".cache").exists()


def test_tree_digest_changes_with_any_python_file_and_only_those(tmp_path):
    package, hooks = tmp_path / "kfguide", tmp_path / "hooks"
    (package / "model").mkdir(parents=True)
    hooks.mkdir()
    (package / "model/a.py").write_text("x = 1\n")
    (hooks / "h.py").write_text("y = 1\n")
    first = memo.tree_digest(package, hooks)
    (package / "notes.txt").write_text("not code")
    assert memo.tree_digest(package, hooks) == first
    (hooks / "h.py").write_text("y = 2\n")
    second = memo.tree_digest(package, hooks)
    assert second != first
    (package / "model/b.py").write_text("")
    assert memo.tree_digest(package, hooks) not in (first, second)
    (package / "model/b.py").rename(package / "model/c.py")  # a renamed file is other code too
    assert memo.tree_digest(package, hooks) not in (first, second)
    assert memo.code_digest() == memo.tree_digest(ROOT / "kfguide", ROOT / "hooks")


def test_recall_asks_the_process_then_the_disk_then_computes_and_both_keep(tmp_path):
    calls = []

    def compute():
        calls.append(1)
        return ["computed"]

    store, disk = memo.Store("recall-test"), memo.disk_store(tmp_path, "r")
    assert memo.recall(store, ("a", "b"), disk, compute) == ["computed"] and len(calls) == 1
    assert memo.recall(store, ("a", "b"), disk, compute) == ["computed"] and len(calls) == 1  # process
    disk.save()
    fresh_store, fresh_disk = memo.Store("recall-test-2"), memo.disk_store(tmp_path, "r")
    assert memo.recall(fresh_store, ("a", "b"), fresh_disk, compute) == ["computed"] and len(calls) == 1
    assert ("a", "b") in fresh_store  # the disk's answer is kept in the process store too
    assert memo.recall(memo.Store("recall-test-3"), ("a", "c"), None, compute) == ["computed"]
    assert len(calls) == 2  # another key, no disk: computed


def test_write_atomic_makes_the_folder_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "a" / "b" / "f.json"
    memo.write_atomic(target, "가나")
    memo.write_atomic(target, b"\x00bytes")
    assert target.read_bytes() == b"\x00bytes"
    assert [p.name for p in target.parent.iterdir()] == ["f.json"]
    memo.write_atomic(tmp_path / "t.txt", "가나")
    assert (tmp_path / "t.txt").read_text("utf-8") == "가나"
