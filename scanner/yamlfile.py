"""Safe YAML loading that remembers where each key stands, so that profile and app file
errors can name the file, the key and the line — all of them at once, not one per run."""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

import yaml


class ConfigError(Exception):
    """One or more problems in a YAML file; ``str()`` lists them one per line."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class YamlDocument:
    """The loaded data plus the line of every key path (1-based)."""

    path: str
    data: object
    lines: dict[tuple, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def line(self, key_path: tuple) -> int | None:
        while key_path:
            if key_path in self.lines:
                return self.lines[key_path]
            key_path = key_path[:-1]
        return self.lines.get(())

    def problem(self, key_path: tuple, message: str) -> None:
        line = self.line(key_path)
        where = f"{self.path}:{line}" if line else self.path
        key = _dotted(key_path)
        self.problems.append(f"{where}: {key + ': ' if key else ''}{message}")

    def unknown_keys(self, mapping: dict, key_path: tuple, allowed: list[str]) -> None:
        for key in mapping:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else f" (allowed: {', '.join(allowed)})"
                self.problem(key_path + (key,), f"unknown key{hint}")

    def expect(self, value, kind: type | tuple, key_path: tuple, what: str) -> bool:
        if isinstance(value, kind) and not isinstance(value, bool) or (kind is bool and isinstance(value, bool)):
            return True
        self.problem(key_path, f"expected {what}, got {_type_name(value)}")
        return False

    def string_list(self, value, key_path: tuple, what: str = "a list of strings") -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.problem(key_path, f"expected {what}, got {_type_name(value)}")
            return []
        return [v.strip() for v in value]

    def raise_problems(self) -> None:
        if self.problems:
            raise ConfigError(self.problems)


def load_yaml(path: str | Path, text: str | None = None) -> YamlDocument:
    """Load one YAML document safely. Syntax errors become a ConfigError naming the
    file and line."""
    path = str(path)
    if text is None:
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as e:
            raise ConfigError([f"{path}: cannot read: {getattr(e, 'strerror', None) or e}"]) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else path
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise ConfigError([f"{where}: invalid YAML: {problem}"]) from None
    document = YamlDocument(path=path, data=data)
    if node is not None:
        _record_lines(node, (), document.lines, set())
        _refuse_alias_bomb(document, node)
    return document


# More values than any profile or app file needs once aliases are written out: beyond
# this the document is an alias bomb (a few hundred bytes standing for billions of values).
MAX_EXPANDED_VALUES = 100_000


def _refuse_alias_bomb(document: YamlDocument, node: yaml.Node) -> None:
    sizes: dict[int, int] = {}
    if _expanded_size(node, sizes) <= MAX_EXPANDED_VALUES:
        return
    entries = [(key.value, value) for key, value in node.value] if isinstance(node, yaml.MappingNode) else []
    key = max(entries, key=lambda e: sizes[id(e[1])])[0] if entries else None
    document.problem((key,) if key is not None else (), f"YAML aliases expand to more than {MAX_EXPANDED_VALUES:,} "
                     "values (an alias bomb, or a value that contains itself); write the values out instead")
    document.raise_problems()


def _expanded_size(node: yaml.Node, sizes: dict[int, int]) -> int:
    """How many values ``node`` stands for once every alias is written out; linear,
    since each node is sized once (a node inside itself counts as too many)."""
    if id(node) not in sizes:
        sizes[id(node)] = MAX_EXPANDED_VALUES + 1
        children = ([n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode)
                    else node.value if isinstance(node, yaml.SequenceNode) else [])
        sizes[id(node)] = 1 + sum(_expanded_size(child, sizes) for child in children)
    return sizes[id(node)]


def _record_lines(node: yaml.Node, key_path: tuple, lines: dict[tuple, int], walked: set[int]) -> None:
    lines.setdefault(key_path, node.start_mark.line + 1)
    # An alias shares its anchor's node: walking it again at every reference would be
    # exponential (an alias bomb) or endless (a node that holds itself).
    if id(node) in walked:
        return
    walked.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = key_path + (key_node.value,)
            lines[child] = key_node.start_mark.line + 1
            _record_lines(value_node, child, lines, walked)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _record_lines(item, key_path + (i,), lines, walked)


def _dotted(key_path: tuple) -> str:
    text = ""
    for key in key_path:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else str(key))
    return text


def _type_name(value) -> str:
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "a string", bool: "true/false",
            int: "a number", float: "a number"}.get(type(value), type(value).__name__)
