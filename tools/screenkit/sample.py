"""The sample data file (data/sample-data.yml): one source for what every stub answers.

``SampleData.load`` reads and checks it (every problem as ``file:line: message``);
``view(scenario)`` is the data with a scenario's keys put over the top-level ones.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import yaml

from screenkit.steps import Problem

REQUIRED = ("now", "user", "platform", "namespaces")


def _line(node: yaml.Node | None) -> int:
    return node.start_mark.line + 1 if node is not None else 1


def parse_time(value: str) -> datetime:
    """An ISO 8601 time with a Z or offset, as UTC."""
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError(f"{value!r} has no time zone (end it in Z)")
    return parsed.astimezone(timezone.utc)


@dataclass
class SampleData:
    path: Path
    data: dict

    @classmethod
    def load(cls, path: Path) -> "SampleData":
        where = str(path)
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise Problem(f"{where}: cannot read the sample data: {exc}") from None
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark else 1
            raise Problem(f"{where}:{line}: invalid YAML: {getattr(exc, 'problem', None) or exc}") from None
        if not isinstance(data, dict):
            raise Problem(f"{where}:1: the sample data must be a mapping")
        nodes = {key.value: value for key, value in root.value} if isinstance(root, yaml.MappingNode) else {}
        problems = [f"{where}:1: missing `{key}`" for key in REQUIRED if key not in data]
        if "now" in data:
            try:
                parse_time(data["now"])
            except (TypeError, ValueError) as exc:
                problems.append(f"{where}:{_line(nodes.get('now'))}: now: {exc}")
        namespaces = data.get("namespaces")
        if "namespaces" in data and not isinstance(namespaces, list):
            problems.append(f"{where}:{_line(nodes.get('namespaces'))}: namespaces must be a list")
        elif isinstance(namespaces, list):
            items = nodes["namespaces"].value if isinstance(nodes.get("namespaces"), yaml.SequenceNode) else []
            for item, node in zip(namespaces, items):
                if not isinstance(item, dict) or not {"name", "role"} <= set(item):
                    problems.append(f"{where}:{_line(node)}: a namespace needs `name` and `role`")
                elif item["role"] not in ("owner", "contributor", "viewer"):
                    problems.append(f"{where}:{_line(node)}: role must be owner, contributor or viewer")
        scenarios = data.get("scenarios", {})
        if not isinstance(scenarios, dict):
            problems.append(f"{where}:{_line(nodes.get('scenarios'))}: scenarios must be a mapping")
        if problems:
            raise Problem("\n".join(problems))
        return cls(path=path, data=data)

    @property
    def scenarios(self) -> list[str]:
        return sorted(self.data.get("scenarios") or {})

    def view(self, scenario: str | None = None) -> dict:
        """The data a stub answers from, with ``scenario``'s keys over the top-level ones."""
        view = copy.deepcopy({key: value for key, value in self.data.items() if key != "scenarios"})
        if scenario:
            scenarios = self.data.get("scenarios") or {}
            if scenario not in scenarios:
                raise Problem(f"{self.path}: no scenario {scenario!r} (known: {', '.join(self.scenarios) or 'none'})")
            view.update(copy.deepcopy(scenarios[scenario]))
        return view

    def now(self) -> datetime:
        return parse_time(self.data["now"])
