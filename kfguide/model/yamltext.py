"""YAML parsing with libyaml when PyYAML has it, and PyYAML's own messages on errors.

libyaml (``yaml.CSafeLoader``) parses the glossary about fifteen times faster than the pure
Python loader, and a build parses it and every page's front matter several times. Its error
messages are worded differently, though, so on a YAML error the text is parsed again with the
pure Python loader, whose exception (message and line) the callers report. Valid YAML gives
the same data and the same node positions from both loaders.
"""

from __future__ import annotations

import yaml

_FAST = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader


def safe_load(text: str):
    """``yaml.safe_load(text)``; raises the pure loader's ``yaml.YAMLError``."""
    try:
        return yaml.load(text, Loader=_FAST)
    except yaml.YAMLError:
        return yaml.load(text, Loader=yaml.SafeLoader)


def compose(text: str):
    """``yaml.compose(text)`` (nodes with line marks); raises the pure loader's error."""
    try:
        return yaml.compose(text, Loader=_FAST)
    except yaml.YAMLError:
        return yaml.compose(text, Loader=yaml.SafeLoader)
