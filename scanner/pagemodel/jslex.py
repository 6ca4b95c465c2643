"""Just enough JavaScript lexing to read scripts with regular expressions safely.

String literals are lifted out into a table and replaced by ``\\x02N\\x03`` tokens, and
comments and regular-expression literals are blanked, so that patterns over the remaining
code never match inside text and braces always balance. Functions (``function`` and
arrow forms) are located with their body ranges, so callers can tell which code runs
where. There is no parser and no evaluation: reading, not running.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

STRING_TOKEN = r"\x02(\d+)\x03"
_STRING_TOKEN = re.compile(STRING_TOKEN)
_SPECIAL = re.compile(r"[/'\"`]")
_QUOTED = {"'": re.compile(r"'(?:\\.|[^'\\\n])*'", re.DOTALL), '"': re.compile(r'"(?:\\.|[^"\\\n])*"', re.DOTALL),
           "`": re.compile(r"`(?:\\.|[^`\\])*`", re.DOTALL)}
_REGEX_LITERAL = re.compile(r"/(?:\\.|\[(?:\\.|[^\]\\\n])*\]|[^/\\\n\[])+/[a-z]*")
# After these, a "/" starts a regular expression rather than a division.
_REGEX_BEFORE = set("(,=:[!&|?{};+-*%<>~^") | {""}
_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r\n|[\s\S])")
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def lift_literals(source: str, strings: list[str]) -> str:
    """``source`` with string literals replaced by tokens indexing ``strings`` (which
    is extended), and comments and regular expressions blanked."""
    out: list[str] = []
    pos = 0
    last = ""  # the last significant character emitted, to tell a regex from a division
    while True:
        found = _SPECIAL.search(source, pos)
        if found is None:
            out.append(source[pos:])
            break
        start = found.start()
        chunk = source[pos:start]
        out.append(chunk)
        if chunk.strip():
            last = chunk.rstrip()[-1]
        char = source[start]
        end = None
        replacement = ""
        if source.startswith("//", start):
            end = source.find("\n", start)
            end = len(source) if end < 0 else end
            replacement = " "
        elif source.startswith("/*", start):
            end = source.find("*/", start + 2)
            end = len(source) if end < 0 else end + 2
            replacement = " "
        elif char == "/":
            literal = _REGEX_LITERAL.match(source, start) if (last in _REGEX_BEFORE or _after_keyword(out)) else None
            if literal:
                end, replacement = literal.end(), " /re/ "
        else:
            literal = _QUOTED[char].match(source, start)
            if literal:
                end = literal.end()
                strings.append(unescape(literal.group(0)[1:-1]))
                replacement = f"\x02{len(strings) - 1}\x03"
        if end is None:
            out.append(char)
            pos = start + 1
            last = char
        else:
            out.append(replacement)
            pos = end
            if replacement.strip():
                last = "\x03"
    return "".join(out)


def _after_keyword(out: list[str]) -> bool:
    tail = "".join(out[-3:])
    return bool(re.search(r"(?:^|[^\w$])(return|typeof|case|do|else|in|of)\s*$", tail))


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


_LAST_CODE_POINT = 0x10FFFF
_SURROGATE = re.compile("[\ud800-\udfff]")


def restore(code: str, strings: list[str]) -> str:
    """Masked code with its string literals put back (quoted), for evidence excerpts."""
    return _STRING_TOKEN.sub(lambda m: repr(strings[int(m.group(1))]), code)


def string_at(token: str, strings: list[str]) -> str | None:
    """The value of a lone string token ("\\x024\\x03" -> strings[4]), else None."""
    match = _STRING_TOKEN.fullmatch(token.strip())
    return strings[int(match.group(1))] if match else None


_CLOSING = {"(": ")", "[": "]", "{": "}"}


def matching(code: str, start: int) -> int:
    """The index of the bracket closing the one at ``start`` (or len(code))."""
    opening = code[start]
    closing = _CLOSING[opening]
    depth = 0
    for i in range(start, len(code)):
        if code[i] == opening:
            depth += 1
        elif code[i] == closing:
            depth -= 1
            if depth == 0:
                return i
    return len(code)


def arguments(code: str, open_paren: int) -> list[tuple[int, int]]:
    """(start, end) of each top-level argument of the call whose "(" is at
    ``open_paren``."""
    close = matching(code, open_paren)
    spans, depth, start = [], 0, open_paren + 1
    for i in range(open_paren + 1, close):
        char = code[i]
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            spans.append((start, i))
            start = i + 1
    if code[start:close].strip():
        spans.append((start, close))
    return spans


def expression_end(code: str, start: int) -> int:
    """Where an expression starting at ``start`` ends: at the first top-level ``,``,
    ``;``, closing bracket or line break after some content."""
    depth = 0
    for i in range(start, len(code)):
        char = code[i]
        if char in "([{":
            depth += 1
        elif char in ")]}":
            if depth == 0:
                return i
            depth -= 1
        elif depth == 0 and (char in ",;" or (char == "\n" and code[start:i].strip())):
            return i
    return len(code)


@dataclass(frozen=True, kw_only=True)
class Function:
    """A function in lifted code: ``head`` is where it starts (``function`` or the
    arrow's parameters), the body is ``code[body_start:body_end]`` (braces excluded),
    ``name`` the name it is declared or assigned under, if any."""

    head: int
    body_start: int
    body_end: int
    name: str | None
    braced: bool = True

    @property
    def end(self) -> int:
        """The index just after the function (after its closing brace)."""
        return self.body_end + 1 if self.braced else self.body_end


_FUNCTION = re.compile(r"\bfunction\b\s*\*?\s*([\w$]*)\s*\(")
# Possessive and anchored, so a long run of word characters is tried once, not from
# every position (a 200k-character unterminated word took minutes).
_ARROW = re.compile(r"(?<![\w$])(\([^()]*+\)|[\w$]++)\s*+=>\s*")
_ASSIGNED_NAME = re.compile(r"(?:(?:var|let|const)\s+)?([\w$][\w$.]*)\s*[:=]\s*(?:async\s+)?$")


def functions(code: str) -> list[Function]:
    found = []
    for match in _FUNCTION.finditer(code):
        close_params = matching(code, match.end() - 1)
        brace = code.find("{", close_params)
        if brace < 0:
            continue
        name = match.group(1) or _assigned_name(code, match.start())
        found.append(Function(head=match.start(), body_start=brace + 1, body_end=matching(code, brace), name=name))
    for match in _ARROW.finditer(code):
        after = match.end()
        name = _assigned_name(code, match.start())
        if code[after:after + 1] == "{":
            found.append(Function(head=match.start(), body_start=after + 1, body_end=matching(code, after), name=name))
        else:
            found.append(Function(head=match.start(), body_start=after, body_end=expression_end(code, after),
                                  name=name, braced=False))
    return sorted(found, key=lambda f: f.head)


def _assigned_name(code: str, head: int) -> str | None:
    match = _ASSIGNED_NAME.search(code[max(0, head - 80):head])
    return match.group(1) if match else None
