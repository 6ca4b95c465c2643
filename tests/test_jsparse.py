"""Scripts read with a parser (issue 19): the constructs real pages use, each with the
redirect it must find or the hard negative it must not read as one."""
from __future__ import annotations

import time

import pytest

from appaudit.scanner.page import Page
from appaudit.scanner.pagemodel.jsparse import parse
from appaudit.scanner.pagemodel.scripts import NAVIGATE, scripts_of

AD = "https://promo.example-ad.cn/act/summer"


def page_with(script: str, script_type: str = "", body: str = "") -> Page:
    kind = f' type="{script_type}"' if script_type else ""
    return Page(source=f"<html><body>{body}<script{kind}>{script}</script></body></html>", input="t.html",
                url="https://www.example-news.cn/n/1")


def redirects(page: Page) -> list[str | None]:
    return [a.effect.url for a in scripts_of(page).automatic if a.effect.action == NAVIGATE]


@pytest.mark.parametrize("script, url", [
    # The two constructs the hand-written lexer lost the redirect after.
    (f"if (ok) /'/.test(name); location.href = '{AD}';", AD),
    (f"var label = `${{n > 1 ? `items` : '`'}}`;\nlocation.href = '{AD}';", AD),
    (f"var t = `a${{'`'}}b`; window.location.href = '{AD}';", AD),
    # Minified: an IIFE, one-letter names, a timer.
    (f'!function(){{var e="{AD}";setTimeout(function(){{location.href=e}},0)}}();', AD),
    # Optional chaining, async/await, class fields and private members, labels.
    (f"const go = () => {{ window.location?.replace('{AD}') }}; go();", AD),
    (f"async function run() {{ await fetch('/ping'); location.assign('{AD}'); }} run();", AD),
    (f"class Promo {{ #seen = 0; shown = () => this.#seen; static {{ }} }}\nlocation.href = '{AD}';", AD),
    (f"outer: for (;;) {{ break outer; }} location.href = '{AD}';", AD),
    # Escapes, concatenation up to the first part known only at run time.
    ("location.href = '\\u0068ttps://promo.example-ad.cn/act/\\x73ummer';", AD),
    (f"location.href = '{AD}' + '?from=' + document.referrer;", AD + "?from="),
    (f"window.open(`{AD}?q=${{query}}`);", AD + "?q="),
    # Other spellings of the location.
    (f"window['location'] = '{AD}';", AD),
    (f'window["location"]["href"] = "{AD}";', AD),
    (f"top.location.replace('{AD}');", AD),
    (f"setTimeout(() => location.href = '{AD}', 2000);", AD),
    # A function declared in an IIFE, called there.
    (f"(function () {{ function go() {{ location.href = '{AD}'; }} go(); }})();", AD),
    # Text positions after characters beyond ASCII stay right.
    (f"var s = '😀 广告'; /* é */ location.href = '{AD}';", AD),
    # An HTML-like comment opening an old-style script comments one line out.
    (f"<!--\nlocation.href = '{AD}';\n//-->", AD),
])
def test_a_redirect_is_read_through_ordinary_constructs(script, url):
    assert redirects(page_with(script)) == [url]


def test_a_module_script_is_read():
    script = f"import {{ track }} from './t.js';\nexport const ready = true;\nlocation.href = '{AD}';"
    assert redirects(page_with(script, script_type="module")) == [AD]


@pytest.mark.parametrize("script", [
    # Navigation only mentioned in text: strings, templates, regular expressions, comments.
    f"var help = 'to leave, set location.href = \"{AD}\"';",
    f"var h = `location.href = '{AD}'`;",
    f"var re = /location.href = '{AD}'/;",
    f"x = a / 2; // location.href = '{AD}'",
    # Not an assignment; not the window's location.
    f"if (location.href == '{AD}') {{ }}",
    f"data['location'] = '{AD}';",
    # Code that never runs by itself: methods, and functions nobody in scope calls.
    f"class Promo {{ go() {{ location.href = '{AD}'; }} }}",
    f"var links = {{ go() {{ location.href = '{AD}'; }} }};",
    f"(function () {{ function go() {{ location.href = '{AD}'; }} }})(); go();",
    f"function go() {{ }} (function () {{ function go() {{ location.href = '{AD}'; }} }})(); go();",
    f"var x = function go() {{ location.href = '{AD}'; }}; go();",
    # Broken code a browser would not run.
    f"function ( {{ location.href = '{AD}';",
])
def test_no_redirect_is_read_where_none_runs(script):
    assert redirects(page_with(script)) == []


def test_a_handler_attribute_reaches_global_functions_only():
    body = '<button id="go" onclick="go()">Go</button><button id="local" onclick="hidden()">Go</button>'
    script = (f"function go() {{ location.href = '{AD}'; }}\n"
              f"document.addEventListener('DOMContentLoaded', function () {{\n"
              f"  function hidden() {{ location.href = '{AD}'; }}\n}});")
    page = page_with(script, body=body)
    scripts = scripts_of(page)
    go, local = page.document.select_one("#go"), page.document.select_one("#local")
    assert [e.url for h in scripts.handlers_on(go) for e in h.navigations] == [AD]
    assert [e.url for h in scripts.handlers_on(local) for e in h.navigations] == []


def test_the_parser_locates_arguments_expressions_and_functions():
    strings: list[str] = []
    script = parse("var u = 'x' + y, n = 2;\nsetTimeout(function (a, b = 1) { go(a) }, n * 1000); el.onclick = e => f(e)",
                   strings)
    code = script.code
    assert strings == ["x"]
    assert script.declarations == [("u", "\x020\x03 + y"), ("n", "2")]
    call = code.index("setTimeout(") + len("setTimeout")
    assert [code[s:e] for s, e in script.arguments(call)] == ["function (a, b = 1) { go(a) }", "n * 1000"]
    assert script.arguments(code.index("var")) == []  # not a call's parenthesis
    handler = code.index("e =>")
    assert code[handler:script.expression_end(handler)] == "e => f(e)"
    timer, arrow = script.functions
    assert (timer.parameters, code[timer.body_start:timer.body_end]) == (("a", "b"), " go(a) ")
    assert (arrow.name, arrow.braced, code[arrow.body_start:arrow.body_end]) == ("el.onclick", False, "f(e)")


def test_lifting_leaves_one_spelling_of_a_member_access():
    script = parse("a?.b?.(1); w['loc']['href'] = 1; w['not a name'] = 2; /* note */ s = /re/g", [])
    assert script.code.split(";")[:3] == ["a.b(1)", " w.loc.href = 1", " w[\x020\x03] = 2"]
    assert "note" not in script.code and "/re/g" not in script.code


@pytest.mark.parametrize("script", [
    "(" * 50_000,  # tree-sitter's query went quadratic on this error's flat children
    "location.href = a" + '["b"]' * 20_000,  # and on child patterns over a deep chain
    "function f(){" * 10_000 + "location.href='x'" + "}" * 10_000,  # a node's parent is a search
    "location.href = " * 20_000 + "'x'",
    "window.open(" * 10_000 + "'x'" + ")" * 10_000,
])
def test_hostile_nesting_is_read_in_seconds(script):
    started = time.monotonic()
    scripts_of(page_with(script))
    assert time.monotonic() - started < 20


def test_a_script_with_a_syntax_error_runs_nothing():
    # A browser compiles a script whole: one error and none of it runs.
    assert redirects(page_with(f"location.href = '{AD}'; var broken = {{ a: , }};")) == []
    assert parse("var x = ;", []).code == ""
