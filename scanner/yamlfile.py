"""Safe YAML loading that remembers where each key stands, so that profile and app file
errors can name the file, the key and the line — all of them at once, not one per run.

App files and profiles may come from anyone, so loading is bounded: nesting deeper than
MAX_DEPTH and aliases that would expand to more than MAX_VALUES values (an alias bomb)
are refused before anything walks the data, and a key given twice in one mapping is an
error naming both lines rather than a silent last-wins."""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from appaudit.reports.text_report import safe

# Real profiles and app files nest a handful of levels and hold a few hundred values.
MAX_DEPTH = 64
MAX_VALUES = 100_000


class ConfigError(Exception):
    """One or more problems in a YAML file; ``str()`` lists them one per line."""

    def __init__(self, problems: list[str]):
        # Problems quote keys, values and file names from the file: escaped here, so
        # that no front door can print them raw (one problem, one line).
        problems = [safe(problem) for problem in problems]
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
        _check_depth(text, path)
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            if node is not None:
                _check_size(node, path)
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else path
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise ConfigError([f"{where}: invalid YAML: {problem}"]) from None
    document = YamlDocument(path=path, data=data)
    if node is not None:
        _record_lines(node, document)
        document.raise_problems()
    return document


def _check_depth(text: str, path: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH from the event stream (PyYAML's parser is
    iterative; composing and constructing recurse, and would overflow the stack)."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise ConfigError([f"{path}:{event.start_mark.line + 1}: invalid YAML: "
                                   f"nested more than {MAX_DEPTH} levels deep"])
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _check_size(root: yaml.Node, path: str) -> None:
    """Refuse a document whose aliases expand to more than MAX_VALUES values. Each node
    is sized once (aliases share their node), so a bomb costs its own size to detect."""
    sizes: dict[int, int] = {}
    entered: set[int] = set()
    stack = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        children = _children(node)
        if children_done or not children:
            # A child still being sized is an ancestor: the node contains itself.
            sizes[id(node)] = 1 + sum(sizes.get(id(c), MAX_VALUES + 1) for c in children)
        elif id(node) not in entered:
            entered.add(id(node))
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in sizes and id(c) not in entered)
    if sizes[id(root)] > MAX_VALUES:
        # Name the top-level key that expands most, where there is one.
        pairs = root.value if isinstance(root, yaml.MappingNode) else []
        key = max(pairs, key=lambda pair: sizes.get(id(pair[1]), MAX_VALUES + 1))[0] if pairs else None
        where = f"{path}:{key.start_mark.line + 1}: {key.value}" if isinstance(key, yaml.ScalarNode) else path
        raise ConfigError([f"{where}: YAML aliases expand to more than {MAX_VALUES:,} values (an alias bomb, "
                           "or a value that contains itself); write the values out instead"])


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _record_lines(root: yaml.Node, document: YamlDocument) -> None:
    """The line of every key path, each node visited once: a node reached again through
    an alias keeps the lines of its first path. Duplicate keys are problems."""
    lines = document.lines
    visited: set[int] = set()
    stack: list[tuple[yaml.Node, tuple]] = [(root, ())]
    while stack:
        node, key_path = stack.pop()
        lines.setdefault(key_path, node.start_mark.line + 1)
        if id(node) in visited:
            continue
        visited.add(id(node))
        # Children are pushed last-first so that they are visited in document order.
        if isinstance(node, yaml.MappingNode):
            first_line: dict = {}
            children = []
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                child = key_path + (key,)
                line = key_node.start_mark.line + 1
                if key is not None and key_node.tag != "tag:yaml.org,2002:merge":
                    if key in first_line:
                        document.problems.append(f"{document.path}:{line}: {_dotted(child)}: duplicate key "
                                                 f"(first given on line {first_line[key]})")
                    first_line.setdefault(key, line)
                lines.setdefault(child, line)
                children.append((value_node, child))
            stack.extend(reversed(children))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((node.value[i], key_path + (i,)) for i in range(len(node.value) - 1, -1, -1))


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
