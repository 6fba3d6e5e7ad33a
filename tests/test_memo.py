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
