"""JavaScript read with a parser (tree-sitter), so patterns over code never match inside text.

:func:`parse` parses a script once and gives:

- ``code``: the script with its literals lifted: string and template literals lifted into a table and
  replaced by ``\\x02N\\x03`` tokens, comments and regular-expression literals blanked,
  ``obj["name"]`` written ``obj.name`` and ``?.`` written ``.``, so patterns see one
  spelling of a member access and brackets always balance;
- ``functions``: every function (declarations, expressions, arrows, methods) with its
  body range in the lifted code, its parameters and the name it is declared under;
- ``declarations``: ``var``/``let``/``const`` names with their initial value;
- the extent of a call's arguments and of an expression, read from the syntax tree.

A script with a syntax error does not run in a browser, so it is read as empty: nothing
in it runs (tree-sitter marks the error; on the real-world pages 2 of 943 inline scripts
have one, both broken for browsers too). The parse is C and linear; the query matches
single nodes only (patterns with children go quadratic on hostile nesting), Python visits
the nodes it captures and walks up the tree from one leaf at a time, so reading stays
bounded. There is no evaluation: reading, not running.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace

import tree_sitter_javascript
from tree_sitter import Language, Node, Parser, Query, QueryCursor

STRING_TOKEN = r"\x02(\d+)\x03"
_STRING_TOKEN = re.compile(STRING_TOKEN)
_LANGUAGE = Language(tree_sitter_javascript.language())
_FUNCTION_TYPES = ("function_expression", "function_declaration", "generator_function",
                   "generator_function_declaration", "arrow_function", "method_definition")
_QUERY = Query(_LANGUAGE, "\n".join([
    "(string) @string", "(template_string) @string", "(comment) @blank", "(html_comment) @blank",
    "(regex) @regex", "(optional_chain) @optional", "(subscript_expression) @subscript",
    "(variable_declarator) @declarator", "(assignment_expression) @assignment", "(pair) @assignment",
    *(f"({kind}) @function" for kind in _FUNCTION_TYPES)]))
_IDENTIFIER = re.compile(r"[A-Za-z_$][\w$]*")
_DOTTED_NAME = re.compile(r"[\w$][\w$.]*")
# An expression's extent grows over parents that start where it starts, up to these.
_BEYOND_EXPRESSION = frozenset(
    kind for kind in range(_LANGUAGE.node_kind_count)
    if re.fullmatch(r".*(statement|declaration|declarator)|program|sequence_expression|arguments|statement_block"
                    r"|class_body|pair|template_substitution", _LANGUAGE.node_kind_for_id(kind) or ""))


@dataclass(frozen=True, kw_only=True)
class Function:
    """A function in lifted code: ``head`` is where it starts (``function``, ``async``,
    the arrow's parameters or the method's name), the body is
    ``code[body_start:body_end]`` (braces excluded), ``name`` the name it is declared
    or assigned under, if any, and ``scope`` the range of code that name is visible from
    (None: the whole page)."""

    head: int
    body_start: int
    body_end: int
    name: str | None
    parameters: tuple[str, ...] = ()
    braced: bool = True
    scope: tuple[int, int] | None = None

    @property
    def end(self) -> int:
        """The index just after the function (after its closing brace)."""
        return self.body_end + 1 if self.braced else self.body_end


class Script:
    """One parsed script: its lifted code, functions and declarations, and positions in
    the lifted code mapped back to the syntax tree."""

    def __init__(self, source: str, strings: list[str]):
        self._root = Parser(_LANGUAGE).parse(source.encode("utf-8", "surrogatepass")).root_node
        if self._root.has_error:  # a syntax error: the browser runs none of it
            source = ""
            self._root = Parser(_LANGUAGE).parse(b"").root_node
        self._utf8 = _Utf8(source)
        captures = QueryCursor(_QUERY).captures(self._root)
        edits = sorted((e for k, nodes in captures.items() if k in _EDITED for n in nodes
                        if (e := self._edit(n, k, source)) is not None), key=lambda e: (e[0], -e[1]))
        self._edits = _Edits()
        pieces, position, length = [], 0, 0
        for start, end, replacement, value in edits:
            if start < position:
                continue  # nested in text already lifted (a string inside a template)
            if value is not None:
                strings.append(value)
                replacement = f"\x02{len(strings) - 1}\x03"
            length += start - position
            self._edits.add(start, end, length, len(replacement))
            pieces += [source[position:start], replacement]
            length += len(replacement)
            position = end
        pieces.append(source[position:])
        self.code = "".join(pieces)
        # Who names a function value, found from the naming side (a node's parent is a
        # search from the root in tree-sitter).
        self._namers = {(value.start_byte, value.end_byte): namer
                        for namer in (*captures.get("declarator", ()), *captures.get("assignment", ()))
                        if (value := namer.child_by_field_name("value" if namer.type != "assignment_expression"
                                                               else "right")) is not None}
        self.functions = _scoped(sorted((f for n in captures.get("function", ()) if (f := self._function(n))),
                                        key=lambda f: f[0].head))
        self.declarations = [(self._text(name), self._text(value)) for d in captures.get("declarator", ())
                             if (name := d.child_by_field_name("name")).type == "identifier"
                             and (value := d.child_by_field_name("value")) is not None
                             and not self._edits.inside(self._char(d.start_byte))]

    def arguments(self, open_paren: int) -> list[tuple[int, int]]:
        """(start, end) of each argument of the call whose "(" is at ``open_paren``
        (none when that is not a call's parenthesis)."""
        node = self._leaf(open_paren)
        if node is None or node.type != "(" or node.parent is None or node.parent.type != "arguments":
            return []
        return [self._span(a) for a in node.parent.named_children if a.type not in ("comment", "html_comment")]

    def expression_end(self, start: int) -> int:
        """Where the expression starting at ``start`` ends (the right side of an
        assignment, a handler value); ``start`` when none starts there."""
        if not 0 <= start < len(self.code):
            return start
        byte = self._utf8.byte(self._edits.source(start))
        # Down from the root (see _namers): the outermost of the nodes starting at ``byte`` that lead to the leaf there.
        cursor, outermost = self._root.walk(), None
        while cursor.goto_first_child_for_byte(byte) is not None and (node := cursor.node).start_byte <= byte:
            if node.start_byte == byte and node.kind_id not in _BEYOND_EXPRESSION:
                outermost = outermost or node
            else:
                outermost = None
        return start if outermost is None else max(start, self._lifted(outermost.end_byte))

    # lifting literals

    def _edit(self, node: Node, kind: str, source: str) -> tuple[int, int, str, str | None] | None:
        """(start, end, replacement, string value) of one replacement in the source."""
        start, end = self._char(node.start_byte), self._char(node.end_byte)
        if kind == "string":
            return start, end, "", unescape(self._inside_quotes(node, source))
        if kind == "blank":
            return start, end, " ", None
        if kind == "regex":
            return start, end, " /re/ ", None
        if kind == "optional":
            # a?.b reads a.b; a?.(x) and a?.[i] read a(x) and a[i].
            following = node.next_sibling
            return start, end, "" if following is not None and following.type in ("arguments", "[") else ".", None
        # obj["name"] reads obj.name, the spelling patterns look for.
        index = node.child_by_field_name("index")
        opening = next((c for c in node.children if c.type == "["), None)
        if index.type != "string" or opening is None:
            return None
        name = unescape(self._inside_quotes(index, source))
        return (self._char(opening.start_byte), end, "." + name, None) if _IDENTIFIER.fullmatch(name) else None

    def _inside_quotes(self, node: Node, source: str) -> str:
        """A string or template literal's text between its quotes."""
        return source[self._char(node.start_byte) + 1:self._char(node.end_byte) - 1]

    # functions

    def _function(self, node: Node) -> tuple[Function, str | None] | None:
        """The function and where its name is visible (see ``_name``)."""
        head = self._char(node.start_byte)
        body = node.child_by_field_name("body")
        if body is None or self._edits.inside(head):
            return None
        braced = body.type == "statement_block"
        name, visible = self._name(node)
        function = Function(head=self._lifted(node.start_byte), body_start=self._lifted(body.start_byte) + braced,
                            body_end=self._lifted(body.end_byte) - braced, name=name,
                            parameters=self._parameters(node), braced=braced)
        return function, visible

    def _name(self, node: Node) -> tuple[str | None, str | None]:
        """The name a function is declared under (``function go``, ``var go = () =>``),
        or assigned to (``go = function``, ``{go: function}``), and where that name is
        visible: "around" (declared: in the function around it, if any), "inside" (a
        function expression's own name) or None (everywhere). Methods and class fields
        have none: a plain ``go()`` call never reaches them."""
        if node.type == "method_definition":
            return None, None
        parent = self._namers.get((node.start_byte, node.end_byte))
        own = node.child_by_field_name("name")
        if own is not None and node.type.endswith("declaration"):
            return self._text(own), "around"
        target = None
        if parent is not None and parent.type == "variable_declarator":
            target = parent.child_by_field_name("name")
        elif parent is not None and parent.type in ("assignment_expression", "pair"):
            target = parent.child_by_field_name("left" if parent.type == "assignment_expression" else "key")
        if target is None or target.end_byte > node.start_byte:
            # A function expression's own name is visible inside it only.
            return (self._text(own), "inside") if own is not None else (None, None)
        name = re.sub(r"\s+", "", self._text(target))
        if not _DOTTED_NAME.fullmatch(name):
            return None, None
        return name, "around" if parent.type == "variable_declarator" else None

    def _parameters(self, node: Node) -> tuple[str, ...]:
        parameters = node.child_by_field_name("parameters") or node.child_by_field_name("parameter")
        if parameters is None:
            return ()
        if parameters.type == "identifier":
            return (self._text(parameters),)
        names = []
        for parameter in parameters.named_children:
            if parameter.type == "assignment_pattern":
                parameter = parameter.child_by_field_name("left")
            names.append(self._text(parameter) if parameter is not None and parameter.type == "identifier" else "")
        return tuple(names)

    # positions: lifted code <-> source characters <-> UTF-8 bytes of the tree

    def _char(self, byte: int) -> int:
        return self._utf8.char(byte)

    def _lifted(self, byte: int) -> int:
        return self._edits.lifted(self._char(byte))

    def _span(self, node: Node) -> tuple[int, int]:
        return self._lifted(node.start_byte), self._lifted(node.end_byte)

    def _text(self, node: Node) -> str:
        start, end = self._span(node)
        return self.code[start:end]

    def _leaf(self, position: int) -> Node | None:
        if not 0 <= position < len(self.code):
            return None
        byte = self._utf8.byte(self._edits.source(position))
        return self._root.descendant_for_byte_range(byte, byte + 1)


def _scoped(functions: list[tuple[Function, str | None]]) -> list[Function]:
    """The functions (in order of their heads) with the scope of each name set from
    where it is visible: the function around it (a top-level declaration is global)
    or the function itself."""
    scoped: list[Function] = []
    around: list[Function] = []
    for function, visible in functions:
        while around and around[-1].end <= function.head:
            around.pop()
        if visible == "inside":
            function = replace(function, scope=(function.body_start, function.body_end))
        elif visible == "around" and around:
            function = replace(function, scope=(around[-1].body_start, around[-1].body_end))
        scoped.append(function)
        around.append(function)
    return scoped


_EDITED = frozenset({"string", "blank", "regex", "optional", "subscript"})


class _Edits:
    """Where the lifted code differs from the source: (start, end) in the source and
    (start, length) in the lifted code of each replacement, in order."""

    def __init__(self):
        self._source_starts: list[int] = []
        self._lifted_starts: list[int] = []
        self._source_ends: list[int] = []
        self._lifted_ends: list[int] = []

    def add(self, start: int, end: int, lifted_start: int, length: int) -> None:
        self._source_starts.append(start)
        self._source_ends.append(end)
        self._lifted_starts.append(lifted_start)
        self._lifted_ends.append(lifted_start + length)

    def inside(self, position: int) -> bool:
        """Whether a source position lies inside a replaced range (past its start)."""
        k = bisect_right(self._source_starts, position) - 1
        return k >= 0 and self._source_starts[k] < position < self._source_ends[k]

    def lifted(self, position: int) -> int:
        """The position in the lifted code of a source position (a replaced range maps to its start)."""
        return _translate(position, self._source_starts, self._source_ends, self._lifted_starts, self._lifted_ends)

    def source(self, position: int) -> int:
        return _translate(position, self._lifted_starts, self._lifted_ends, self._source_starts, self._source_ends)


def _translate(position: int, starts: list[int], ends: list[int], to_starts: list[int], to_ends: list[int]) -> int:
    k = bisect_right(starts, position) - 1
    if k < 0:
        return position
    if position < ends[k]:
        return to_starts[k]
    return to_ends[k] + position - ends[k]


class _Utf8:
    """Character offsets of a text and byte offsets of its UTF-8 encoding (the tree's)."""

    def __init__(self, text: str):
        self._chars: list[int] = []  # just after each non-ASCII character
        self._bytes: list[int] = []
        self._extra: list[int] = []  # bytes beyond one per character, up to there
        if text.isascii():
            return
        extra = 0
        for match in re.finditer(r"[^\x00-\x7f]", text):
            extra += len(match.group().encode("utf-8", "surrogatepass")) - 1
            self._chars.append(match.end())
            self._bytes.append(match.end() + extra)
            self._extra.append(extra)

    def char(self, byte: int) -> int:
        k = bisect_right(self._bytes, byte)
        return byte - (self._extra[k - 1] if k else 0)

    def byte(self, char: int) -> int:
        k = bisect_right(self._chars, char)
        return char + (self._extra[k - 1] if k else 0)


def parse(source: str, strings: list[str]) -> Script:
    """``source`` parsed, its string literals appended to ``strings``."""
    return Script(source, strings)


_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r\n|[\s\S])")
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
_LAST_CODE_POINT = 0x10FFFF
_SURROGATE = re.compile("[\ud800-\udfff]")


def unescape(text: str) -> str:
    """A string literal's value. Escapes no engine accepts (``\\u{110000}``, past the
    last code point) stay as written; UTF-16 surrogate pairs (``\\ud83d\\ude00``) join,
    and lone surrogates become U+FFFD, so the value is always encodable text."""
    def replace(match: re.Match) -> str:
        escape = match.group(1)
        if escape.startswith(("u", "x")) and len(escape) > 1:
            code = int(escape[2:-1] if escape.startswith("u{") else escape[1:], 16)
            return chr(code) if code <= _LAST_CODE_POINT else match.group(0)
        if escape in ("\n", "\r\n"):
            return ""
        return _SIMPLE_ESCAPES.get(escape, escape)
    value = _ESCAPE.sub(replace, text)
    if _SURROGATE.search(value):
        value = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return value


def restore(code: str, strings: list[str]) -> str:
    """Lifted code with its string literals put back (quoted), for evidence excerpts."""
    return _STRING_TOKEN.sub(lambda m: repr(strings[int(m.group(1))]), code)


def string_at(token: str, strings: list[str]) -> str | None:
    """The value of a lone string token ("\\x024\\x03" -> strings[4]), else None."""
    match = _STRING_TOKEN.fullmatch(token.strip())
    return strings[int(match.group(1))] if match else None
