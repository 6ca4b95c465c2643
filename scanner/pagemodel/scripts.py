"""What a page's inline scripts and handler attributes do, read without running them.

Sources are the bodies of inline ``<script>`` elements, ``on*=`` handler attributes and
``javascript:`` links. Each is parsed once (``jsparse``: its string literals lifted out, its functions, calls and
expressions located from the syntax tree), and then read with patterns for the few things
the UI checks care about:

- *effects*: navigating (``location.href = …``, ``location.assign/replace(…)``,
  ``window.open(…)``, a form's ``submit()``, a scripted ``click()`` on a link), stopping a
  click (``stopPropagation``, ``preventDefault``, ``return false``), hiding or revealing an
  element (``style.display``, ``classList``, ``hidden``, jQuery ``show/hide`` …);
- *bindings*: which code runs on which event of which element (``onclick=``,
  ``el.onclick = …``, ``addEventListener``, jQuery ``.on/.click``, ``$(fn)``), including
  ``devicemotion``/``deviceorientation`` and load events;
- *timers*: code run by ``setTimeout``/``setInterval``, with the delay when it is literal.

Calls to named functions are followed (so ``onclick="go()"`` sees what ``go`` does),
URLs held in simple constants (``var u = '…'``) are resolved, and elements are found from
``getElementById``, ``querySelector``, ``$('…')``, ``this`` and ``parentNode``/``closest``.
What cannot be read this way (computed URLs, dynamic selectors) is left unknown rather
than guessed.
"""
from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from urllib.parse import unquote, urljoin

from bs4 import Tag

from appaudit.scanner.page import Page
from appaudit.scanner.pagemodel import page_cached, unit_failed
from appaudit.scanner.pagemodel.jsparse import STRING_TOKEN, Function, Script, parse, restore, string_at
from appaudit.scanner.pagemodel.destinations import classify
from appaudit.scanner.render.facts import Observed
from appaudit.scanner.render.replay import page_relative

# STOP stops propagation (ancestors' handlers do not run); PREVENT cancels the default
# action (a link's navigation). They differ in a browser: an "×" inside an ad's link
# whose handler only stops propagation still follows the link.
NAVIGATE, STOP, PREVENT, HIDE, REVEAL = "navigate", "stop", "prevent", "hide", "reveal"

CLICK_EVENTS = frozenset({"click", "tap", "touchstart", "touchend", "mousedown", "mouseup",
                          "pointerdown", "pointerup", "dblclick"})
LOAD_EVENTS = frozenset({"load", "domcontentloaded", "pageshow", "readystatechange"})
# "shake" is the event shake.js-style libraries dispatch on window.
MOTION_EVENTS = frozenset({"devicemotion", "deviceorientation", "deviceorientationabsolute", "shake"})
# Elements whose load/error events fire by themselves while the page loads.
_SELF_LOADING = frozenset({"body", "html", "img", "iframe", "script", "svg", "frameset", "video", "audio", "object"})

_JS_TYPES = re.compile(r"^(|module|text/javascript|application/javascript|text/ecmascript|application/ecmascript"
                       r"|text/jscript|application/x-javascript)$")

_S = STRING_TOKEN  # a string literal token in lifted code
_HIDING_CLASSES = frozenset({"hidden", "hide", "d-none", "is-hidden", "invisible", "none", "closed", "hidden-all"})
_SHOWING_CLASSES = frozenset({"show", "shown", "open", "opened", "active", "visible", "in", "is-open",
                              "is-visible", "is-active", "is-show", "block", "display"})


@dataclass(frozen=True, kw_only=True)
class Effect:
    """One thing a piece of code does. ``url`` is a navigation's literal destination
    (None when it is computed at run time); ``elements`` are the elements hidden or
    revealed (or the form / link a navigation goes through); ``timed`` says it runs from
    a setTimeout/setInterval, ``delay_ms`` after how long when that is literal."""

    action: str
    url: str | None = None
    elements: tuple[Tag, ...] = ()
    timed: bool = False
    delay_ms: int | None = None
    code: str = ""
    observed: str = ""  # on a rendered page: what the browser saw it do

    def after_timer(self, delay_ms: int | None) -> "Effect":
        if self.timed:
            total = None if self.delay_ms is None or delay_ms is None else self.delay_ms + delay_ms
        else:
            total = delay_ms
        return replace(self, timed=True, delay_ms=total)


@dataclass(frozen=True, kw_only=True)
class Comparison:
    """A numeric comparison in a handler (``Math.abs(x) > 12``), for motion thresholds."""

    expression: str
    operator: str
    value: float


@dataclass(frozen=True, kw_only=True)
class Handler:
    """Code bound to an event. ``elements`` are the elements it is bound to (empty when
    bound to window/document); ``holder`` is the element that holds the code (the
    ``<script>`` or the element with the handler attribute)."""

    event: str
    elements: tuple[Tag, ...]
    holder: Tag
    effects: tuple[Effect, ...]
    code: str
    comparisons: tuple[Comparison, ...] = ()
    # Its code or a function it calls navigates somewhere, callbacks included (an
    # analytics hit's event_callback, an Ajax success), whether or not ``effects`` can say
    # when: that navigation may be how the handler opens what it cancelled.
    navigates_anywhere: bool = False

    @property
    def navigations(self) -> tuple[Effect, ...]:
        return tuple(e for e in self.effects if e.action == NAVIGATE)


@dataclass(frozen=True, kw_only=True)
class AutomaticEffect:
    """An effect of code that runs without any user action (a script's top level, a load
    handler, timers started from them), with the element holding that code."""

    effect: Effect
    holder: Tag


class PageScripts:
    """Everything read from one page's scripts."""

    def __init__(self, page: Page):
        reader = _Reader(page)
        self.handlers: list[Handler] = reader.handlers
        self.automatic: list[AutomaticEffect] = reader.automatic
        self._by_element: dict[int, list[Handler]] = {}
        for handler in self.handlers:
            for element in handler.elements:
                self._by_element.setdefault(id(element), []).append(handler)

    def handlers_on(self, element: Tag, events: frozenset[str] = CLICK_EVENTS) -> list[Handler]:
        return [h for h in self._by_element.get(id(element), ()) if h.event in events]

    @property
    def motion_handlers(self) -> list[Handler]:
        return [h for h in self.handlers if h.event in MOTION_EVENTS]

    def reveals(self, element: Tag, *, automatic_only: bool, up_to: Tag | None = None) -> list[Effect]:
        """Effects that reveal ``element`` or one of its ancestors (below ``up_to`` when
        given): all of them, or only those that run without user action."""
        targets = {id(element)}
        for ancestor in element.parents:
            if ancestor is up_to:
                break
            targets.add(id(ancestor))
        effects = [a.effect for a in self.automatic]
        if not automatic_only:
            effects += [e for h in self.handlers for e in h.effects]
        return [e for e in effects if e.action == REVEAL and any(id(t) in targets for t in e.elements)]

    def hides(self, element: Tag) -> list[tuple[Handler, Effect]]:
        """Click handlers that hide ``element`` or an ancestor of it (a way to close it)."""
        targets = {id(element)} | {id(a) for a in element.parents}
        return [(h, e) for h in self.handlers if h.event in CLICK_EVENTS for e in h.effects
                if e.action == HIDE and any(id(t) in targets for t in e.elements)]


def scripts_of(page: Page) -> PageScripts:
    def build() -> PageScripts:
        scripts = PageScripts(page)
        if page.rendered is not None:  # what the browser saw the page do overrides the reading
            _with_observed(page, scripts)
        return scripts
    return page_cached(page, "scripts", build)


# --- reading -----------------------------------------------------------------------------

@dataclass(kw_only=True)
class _Source:
    script: Script
    holder: Tag

    def __post_init__(self) -> None:
        self.code = self.script.code  # literals lifted out
        self.functions = self.script.functions  # in order of their heads
        self.heads = [f.head for f in self.functions]
        self.by_head = {f.head: f for f in self.functions}

    def arguments(self, base: int, open_paren: int) -> list[tuple[int, int]]:
        """The call's argument spans, for positions counted from ``base``."""
        return [(start - base, end - base) for start, end in self.script.arguments(base + open_paren)]

    def expression_end(self, base: int, start: int) -> int:
        return self.script.expression_end(base + start) - base


@dataclass(frozen=True)
class _Region:
    source: int
    start: int
    end: int


@dataclass(frozen=True, kw_only=True)
class _Scope:
    """What ``this`` and parameter names stand for in the code being read."""

    this: tuple[Tag, ...] = ()
    names: tuple[tuple[str, tuple[Tag, ...]], ...] = ()

    def name(self, name: str) -> tuple[Tag, ...] | None:
        return next((tags for n, tags in self.names if n == name), None)

    @property
    def key(self) -> tuple:
        return (tuple(id(t) for t in self.this), tuple((n, tuple(id(t) for t in tags)) for n, tags in self.names))


_WINDOW = "window"  # a receiver that is the window or document, not an element
_MAX_DEPTH = 8

# Bounds that no real page reaches and that keep hostile scripts (thousands of nested
# window.open( calls) from costing quadratic time.
MAX_URL_EXPRESSION = 4096
MAX_CALLS_READ = 200

_LOCATION = r"(?<![\w$.])(?:(?:window|self|top|parent|document)\s*\.\s*)*location"
_NAVIGATE_ASSIGN = re.compile(_LOCATION + r"(?:\s*\.\s*href)?\s*=(?!=)\s*")
_NAVIGATE_CALL = re.compile(_LOCATION + r"\s*\.\s*(?:assign|replace)\s*\(")
_WINDOW_OPEN = re.compile(r"(?<![\w$.])(?:window|self|top|parent)\s*\.\s*open\s*\(")
_STOP = re.compile(r"\.\s*(?:stopPropagation|stopImmediatePropagation)\s*\(|\.\s*cancelBubble\s*=\s*true\b")
# ``return false`` cancels the default in an inline handler (and in jQuery, which also
# stops propagation; that is not modelled).
_PREVENT = re.compile(r"\.\s*preventDefault\s*\(|\breturn\s+false\b|\.\s*returnValue\s*=\s*false\b")
_SUBMIT_OR_CLICK = re.compile(r"\.\s*(submit|click)\s*\(\s*\)|\.\s*trigger\s*\(\s*(" + _S + r")\s*\)")
_STYLE_ASSIGN = re.compile(r"\.\s*style\s*\.\s*(display|visibility|opacity)\s*=(?!=)\s*")
_STYLE_PROPERTY = re.compile(r"\.\s*(?:style\s*\.\s*setProperty|css)\s*\(\s*" + _S + r"\s*,\s*(" + _S + r"|[\d.]+)")
_CSS_TEXT = re.compile(r"\.\s*style\s*\.\s*cssText\s*=\s*" + _S)
_HIDDEN_PROPERTY = re.compile(r"\.\s*hidden\s*=(?!=)\s*(true|false)\b")
_HIDDEN_ATTRIBUTE = re.compile(r"\.\s*(setAttribute|removeAttribute)\s*\(\s*" + _S)
_CLASS_CHANGE = re.compile(r"\.\s*(?:classList\s*\.\s*(add|remove)|(addClass|removeClass))\s*\(\s*"
                           r"(" + _S + r"(?:\s*,\s*" + _S + r")*)")
_SHOW_HIDE_METHOD = re.compile(r"\.\s*(hide|fadeOut|slideUp|remove|detach|close|show|fadeIn|slideDown|showModal)\s*\(")
_MODAL = re.compile(r"\.\s*modal\s*\(\s*" + _S)
_REMOVE_CHILD = re.compile(r"\.\s*removeChild\s*\(")
_TIMER = re.compile(r"(?<![\w$.])(?:window\s*\.\s*)?set(?:Timeout|Interval)\s*\(")
_INHERITING_CALLBACK = re.compile(r"(?:\.\s*(?:forEach|each|map|then|some|every|filter)"
                                  r"|(?<![\w$.])requestAnimationFrame)\s*\(\s*(?:async\s+)?$")
_CALL = re.compile(r"(?<![\w$.])([\w$][\w$.]*)\s*\(")
_ADD_LISTENER = re.compile(r"(?:\.\s*|(?<![\w$.]))addEventListener\s*\(")
_ON_PROPERTY = re.compile(r"(?:\.\s*|(?<![\w$.]))on([a-z]+)\s*=(?!=)\s*")
_JQUERY_ON = re.compile(r"\.\s*(?:on|bind|one|live)\s*\(")
_JQUERY_SHORTCUT = re.compile(r"\.\s*(click|tap|touchstart|touchend|mousedown|mouseup)\s*\(")
_READY = re.compile(r"(?<![\w$.])(?:\$|jQuery)\s*\(|\.\s*ready\s*\(")
_COMPARISON = re.compile(r"([\w$.\[\]()]+(?:\s*[-+*/]\s*[\w$.\[\]()]+)*)\s*(>=|<=|>|<)\s*"
                         r"(-?\d+(?:\.\d+)?|[A-Za-z_$][\w$.]*)(?![\w$.(])")
_REVERSED_COMPARISON = re.compile(r"(?<![\w$.])(-?\d+(?:\.\d+)?)\s*(>=|<=|>|<)\s*([\w$.\[\]()]+)")
_EVENT_TARGET = re.compile(r"(e|ev|evt|event)\.(target|currentTarget|srcElement)")
_FINDER = re.compile(r"(.+)\.(querySelector|querySelectorAll|find|getElementById|getElementsByClassName"
                     r"|getElementsByTagName|getElementsByName)\(" + _S + r"\)")
# jQuery methods that return the set they were called on.
_SAME_SET_METHOD = re.compile(r"(.+)\.(off|unbind|css|attr|addClass|removeClass|stop|delay|show|hide|fadeIn|fadeOut)\(.*\)")
_KEYWORDS = frozenset({"if", "for", "while", "switch", "catch", "function", "return", "typeof", "new", "with"})


class _Reader:
    def __init__(self, page: Page):
        self.page = page
        self.strings: list[str] = []
        self.sources: list[_Source] = []
        self.handlers: list[Handler] = []
        self.automatic: list[AutomaticEffect] = []
        self._effects_memo: dict[tuple, list[Effect]] = {}
        self._direct_memo: dict[_Region, str] = {}
        self._navigation_memo: dict[_Region, bool] = {}
        self._lookups: dict[tuple[str, str], tuple[Tag, ...]] = {}
        self._ids: dict[str, list[Tag]] | None = None
        self._code_strings: dict[tuple[int, int], int] = {}  # setTimeout("code") strings read as sources
        scripts, attributes = self._collect_sources()
        self.variables = self._variables()
        self.named = self._named_functions()
        # Each script is read on its own: one that cannot be read is reported and the
        # page's other scripts still count.
        for index in scripts:
            holder = self.sources[index].holder
            try:
                effects = self._effects(self._top(index), _Scope(), 0, frozenset())
            except Exception as e:
                self._unreadable(holder, e)
                continue
            self.automatic += [AutomaticEffect(effect=effect, holder=holder) for effect in effects]
        for index, event in attributes:
            holder = self.sources[index].holder
            try:
                self._add_handler(event, (holder,), holder, [self._top(index)])
            except Exception as e:
                self._unreadable(holder, e)
        for index in range(len(self.sources)):
            try:
                self._read_bindings(index)
            except Exception as e:
                self._unreadable(self.sources[index].holder, e)

    def _unreadable(self, holder: Tag, error: Exception) -> None:
        line = self.page.line(holder)
        unit_failed(self.page, f"script of {self.page.selector(holder)}{f' (line {line})' if line else ''}", error)

    # sources

    def _collect_sources(self) -> tuple[list[int], list[tuple[int, str]]]:
        scripts, attributes = [], []
        for element in self.page.document.find_all(True):
            if element.name == "script":
                kind = str(element.get("type", "")).strip().lower()
                if _JS_TYPES.match(kind) and not element.get("src"):
                    scripts.append(self._add_source(element.get_text(), element))
            for name, value in element.attrs.items():
                if name.startswith("on") and len(name) > 2 and isinstance(value, str) and value.strip():
                    attributes.append((self._add_source(value, element), name[2:].lower()))
            href = element.get("href") if element.name in ("a", "area") else None
            if isinstance(href, str) and href.strip().lower().startswith("javascript:"):
                attributes.append((self._add_source(unquote(href.strip()[11:]), element), "click"))
        return scripts, attributes

    def _add_source(self, code: str, holder: Tag) -> int:
        try:
            script = parse(code, self.strings)
        except Exception as e:  # read as an empty script, and reported
            self._unreadable(holder, e)
            script = parse("", self.strings)
        self.sources.append(_Source(script=script, holder=holder))
        return len(self.sources) - 1

    def _top(self, index: int) -> _Region:
        return _Region(index, 0, len(self.sources[index].code))

    def _variables(self) -> dict[str, list[tuple[int, str]]]:
        """name -> the expressions it is declared with (var/let/const), page-wide."""
        found: dict[str, list[tuple[int, str]]] = {}
        for index, source in enumerate(self.sources):
            for name, value in source.script.declarations:
                found.setdefault(name, []).append((index, value.strip()))
        return found

    def _named_functions(self) -> dict[str, list[tuple[int, Function]]]:
        found: dict[str, list[tuple[int, Function]]] = {}
        for index, source in enumerate(self.sources):
            for function in source.functions:
                if function.name:
                    found.setdefault(function.name, []).append((index, function))
        return found

    def _callees(self, name: str, source: int, position: int) -> list[tuple[int, Function]]:
        """The functions a call of ``name`` at ``position`` may reach: those named so
        page-wide, and those declared in a function around the call."""
        return [(index, function) for index, function in self.named.get(name, ())
                if function.scope is None or (index == source and function.scope[0] <= position < function.scope[1])]

    # regions

    def _children(self, region: _Region) -> list[Function]:
        """The functions directly inside the region (not inside one of them)."""
        source = self.sources[region.source]
        children, covered_until = [], -1
        for function in source.functions[bisect_left(source.heads, region.start):bisect_left(source.heads, region.end)]:
            if function.head >= covered_until and function.end <= region.end:
                children.append(function)
                covered_until = function.end
        return children

    def _direct(self, region: _Region) -> str:
        """The region's own code: nested function bodies blanked (their heads kept), so
        what a pattern finds runs when the region runs. Positions are kept."""
        if region not in self._direct_memo:
            code = self.sources[region.source].code
            pieces, position = [], region.start
            for function in self._children(region):
                pieces.append(code[position:function.body_start])
                pieces.append(" " * (function.body_end - function.body_start))
                position = function.body_end
            pieces.append(code[position:region.end])
            self._direct_memo[region] = "".join(pieces)
        return self._direct_memo[region]

    def _function_at(self, source: int, position: int) -> Function | None:
        code = self.sources[source].code
        while code[position:position + 1].isspace():
            position += 1
        return self.sources[source].by_head.get(position)

    def _handler_regions(self, source: int, start: int, end: int) -> list[_Region]:
        """The code a handler expression stands for: a function literal, a named
        function, or a string of code (setTimeout("…"))."""
        code = self.sources[source].code
        function = self._function_at(source, start)
        if function is not None:
            return [_Region(source, function.body_start, function.body_end)]
        text = re.sub(r"\.\s*bind\s*\(.*\)$", "", code[start:end].strip())
        literal = string_at(text, self.strings)
        if literal is not None:
            if (source, start) not in self._code_strings:
                self._code_strings[(source, start)] = self._add_source(literal, self.sources[source].holder)
            return [self._top(self._code_strings[(source, start)])]
        if re.fullmatch(r"[\w$][\w$.]*", text):
            return [_Region(i, f.body_start, f.body_end) for i, f in self._callees(text, source, start)]
        return []

    # effects

    def _effects(self, region: _Region, scope: _Scope, depth: int, visiting: frozenset) -> list[Effect]:
        key = (region, scope.key)
        if key in self._effects_memo:
            return self._effects_memo[key]
        if depth > _MAX_DEPTH or key in visiting:
            return []
        visiting = visiting | {key}
        text = self._direct(region)
        base = region.start
        effects = self._actions(region.source, text, base, scope)
        effects += self._timer_effects(region, text, scope, depth, visiting)
        effects += self._inline_callback_effects(region, text, scope, depth, visiting)
        effects += self._call_effects(region, text, scope, depth, visiting)
        self._effects_memo[key] = effects
        return effects

    def _actions(self, source: int, text: str, base: int, scope: _Scope) -> list[Effect]:
        code = self.sources[source].code
        script = self.sources[source]
        found: list[Effect] = []

        def excerpt(start: int, end: int) -> str:
            line_start = code.rfind("\n", 0, base + start) + 1
            line_end = code.find("\n", base + end)
            snippet = restore(code[line_start:line_end if line_end >= 0 else len(code)].strip(), self.strings)
            return snippet if len(snippet) <= 160 else snippet[:159] + "…"

        for match in itertools.islice(_NAVIGATE_ASSIGN.finditer(text), MAX_CALLS_READ):
            end = script.expression_end(base, match.end())
            url = self._url(text[match.end():end], scope)
            found.append(Effect(action=NAVIGATE, url=url, code=excerpt(match.start(), end)))
        for pattern in (_NAVIGATE_CALL, _WINDOW_OPEN):
            for match in itertools.islice(pattern.finditer(text), MAX_CALLS_READ):
                spans = script.arguments(base, match.end() - 1)
                url = self._url(text[spans[0][0]:spans[0][1]], scope) if spans else None
                found.append(Effect(action=NAVIGATE, url=url, code=excerpt(match.start(), match.end())))
        for pattern, action in ((_STOP, STOP), (_PREVENT, PREVENT)):
            for match in pattern.finditer(text):
                found.append(Effect(action=action, code=excerpt(match.start(), match.end())))
        for match in _SUBMIT_OR_CLICK.finditer(text):
            found.extend(self._scripted_activation(text, match, scope, excerpt))
        found.extend(self._visibility_changes(script, text, base, scope, excerpt))
        return found

    def _scripted_activation(self, text: str, match: re.Match, scope: _Scope, excerpt) -> list[Effect]:
        """form.submit() and link.click() / $(link).trigger('click') navigate."""
        method = match.group(1) or string_at(match.group(2), self.strings)
        if method not in ("submit", "click"):
            return []
        elements = self._elements(_receiver_before(text, match.start()), scope)
        if not isinstance(elements, tuple):
            return []
        effects = []
        for element in elements:
            if element.name == "form":
                target = element.get("action", "")
            elif element.name in ("a", "area") and method == "click":
                target = element.get("href")
            else:
                continue
            if isinstance(target, str):
                effects.append(Effect(action=NAVIGATE, url=target.strip(), elements=(element,),
                                      code=excerpt(match.start(), match.end())))
        return effects

    def _visibility_changes(self, script: _Source, text: str, base: int, scope: _Scope, excerpt) -> list[Effect]:
        changes: list[tuple[int, int, str, str]] = []  # (start, end, receiver expression, action)
        for match in itertools.islice(_STYLE_ASSIGN.finditer(text), MAX_CALLS_READ):
            end = script.expression_end(base, match.end())
            action = _style_action(match.group(1), self._literal(text[match.end():end]))
            if action:
                changes.append((match.start(), end, _receiver_before(text, match.start()), action))
        for match in _STYLE_PROPERTY.finditer(text):
            name = self._literal(re.search(_S, match.group(0)).group(0)) or ""
            action = _style_action(name.lower(), self._literal(match.group(2)))
            if action:
                changes.append((match.start(), match.end(), _receiver_before(text, match.start()), action))
        for match in _CSS_TEXT.finditer(text):
            css = (self._literal(match.group(0)[match.group(0).index("\x02"):]) or "").replace(" ", "").lower()
            action = HIDE if re.search(r"display:none|visibility:hidden", css) else \
                REVEAL if re.search(r"display:(?!none)|visibility:visible", css) else None
            if action:
                changes.append((match.start(), match.end(), _receiver_before(text, match.start()), action))
        for match in _HIDDEN_PROPERTY.finditer(text):
            changes.append((match.start(), match.end(), _receiver_before(text, match.start()),
                            HIDE if match.group(1) == "true" else REVEAL))
        for match in _HIDDEN_ATTRIBUTE.finditer(text):
            if self._literal(match.group(0)[match.group(0).index("\x02"):]) == "hidden":
                changes.append((match.start(), match.end(), _receiver_before(text, match.start()),
                                HIDE if match.group(1) == "setAttribute" else REVEAL))
        for match in _CLASS_CHANGE.finditer(text):
            adding = (match.group(1) or match.group(2)) in ("add", "addClass")
            names = {n for token in re.findall(_S, match.group(3)) for n in self.strings[int(token)].split()}
            if names & _HIDING_CLASSES:
                action = HIDE if adding else REVEAL
            elif names & _SHOWING_CLASSES:
                action = REVEAL if adding else HIDE
            else:
                continue
            receiver = _receiver_before(text, match.start())
            receiver = re.sub(r"\.\s*classList$", "", receiver)
            changes.append((match.start(), match.end(), receiver, action))
        for match in _SHOW_HIDE_METHOD.finditer(text):
            receiver = _receiver_before(text, match.start())
            with_argument = text[match.end():match.end() + 1].strip() not in ("", ")")
            if receiver.endswith("classList") or (match.group(1) == "remove" and with_argument):
                continue  # classList.remove(...) and Array/Map remove(x) are not element removal
            action = REVEAL if match.group(1) in ("show", "fadeIn", "slideDown", "showModal") else HIDE
            changes.append((match.start(), match.end(), receiver, action))
        for match in _MODAL.finditer(text):
            command = self._literal(match.group(0)[match.group(0).index("\x02"):])
            if command in ("show", "hide"):
                changes.append((match.start(), match.end(), _receiver_before(text, match.start()),
                                REVEAL if command == "show" else HIDE))
        for match in _REMOVE_CHILD.finditer(text):
            spans = script.arguments(base, match.end() - 1)
            if spans:
                changes.append((match.start(), spans[0][1], text[spans[0][0]:spans[0][1]], HIDE))
        effects = []
        for start, end, receiver, action in changes:
            elements = self._elements(receiver, scope)
            if isinstance(elements, tuple) and elements:
                effects.append(Effect(action=action, elements=elements, code=excerpt(start, end)))
        return effects

    def _timer_effects(self, region: _Region, text: str, scope: _Scope, depth: int,
                       visiting: frozenset) -> list[Effect]:
        effects = []
        for match in _TIMER.finditer(text):
            spans = self.sources[region.source].arguments(region.start, match.end() - 1)
            if not spans:
                continue
            delay = self._number(text[spans[1][0]:spans[1][1]]) if len(spans) > 1 else 0
            start, end = spans[0]
            for handler in self._handler_regions(region.source, region.start + start, region.start + end):
                inner = self._effects(handler, _Scope(this=scope.this), depth + 1, visiting)
                effects.extend(e.after_timer(None if delay is None else int(delay)) for e in inner)
        return effects

    def _inline_callback_effects(self, region: _Region, text: str, scope: _Scope, depth: int,
                                 visiting: frozenset) -> list[Effect]:
        """Functions run where they stand: immediately invoked, or passed to forEach /
        then / requestAnimationFrame."""
        effects = []
        code = self.sources[region.source].code
        for function in self._children(region):
            local = function.head - region.start
            after = code[function.end:function.end + 8]
            immediately_invoked = function.name is None and re.match(r"\s*\)?\s*\(", after)
            if immediately_invoked or _INHERITING_CALLBACK.search(text[max(0, local - 40):local]):
                inner = _Region(region.source, function.body_start, function.body_end)
                effects.extend(self._effects(inner, scope, depth + 1, visiting))
        return effects

    def _call_effects(self, region: _Region, text: str, scope: _Scope, depth: int, visiting: frozenset) -> list[Effect]:
        effects = []
        for match in _CALL.finditer(text):
            name = match.group(1)
            declared_here = re.search(r"function\s*$", text[max(0, match.start() - 12):match.start()])
            callees = self._callees(name, region.source, region.start + match.start())
            if not callees or name in _KEYWORDS or declared_here:
                continue
            spans = self.sources[region.source].arguments(region.start, match.end() - 1)
            argument_elements = [self._elements(text[s:e], scope) for s, e in spans]
            for index, function in callees:
                if index == region.source and function.head == region.start + match.start():
                    continue
                names = tuple((param, tags) for param, tags in zip(function.parameters, argument_elements)
                              if isinstance(tags, tuple) and tags)
                callee = _Region(index, function.body_start, function.body_end)
                effects.extend(self._effects(callee, _Scope(this=scope.this, names=names), depth + 1, visiting))
        return effects

    # bindings

    def _read_bindings(self, index: int) -> None:
        code = self.sources[index].code
        source = self.sources[index]
        for match in _ADD_LISTENER.finditer(code):
            spans = source.arguments(0, match.end() - 1)
            if len(spans) >= 2:
                event = string_at(code[spans[0][0]:spans[0][1]], self.strings)
                receiver = _receiver_before(code, match.start()) if code[match.start()] == "." else "window"
                self._bind(index, [event] if event else [], receiver, spans[1])
        for match in itertools.islice(_ON_PROPERTY.finditer(code), MAX_CALLS_READ):
            receiver = _receiver_before(code, match.start()) if code[match.start()] == "." else "window"
            self._bind(index, [match.group(1)], receiver, (match.end(), source.expression_end(0, match.end())))
        for match in _JQUERY_ON.finditer(code):
            spans = source.arguments(0, match.end() - 1)
            events = string_at(code[spans[0][0]:spans[0][1]], self.strings) if spans else None
            if events and len(spans) >= 2:
                receiver = _receiver_before(code, match.start())
                delegated = string_at(code[spans[1][0]:spans[1][1]], self.strings) if len(spans) >= 3 else None
                names = [e.split(".")[0] for e in events.split()]
                self._bind(index, names, receiver, spans[-1], delegated=delegated)
        for match in _JQUERY_SHORTCUT.finditer(code):
            spans = source.arguments(0, match.end() - 1)
            if spans:
                self._bind(index, [match.group(1)], _receiver_before(code, match.start()), spans[-1])
        for match in _READY.finditer(code):
            spans = source.arguments(0, match.end() - 1)
            if spans and self._function_at(index, spans[0][0]) is not None:
                self._bind(index, ["domcontentloaded"], "window", spans[0])

    def _bind(self, source: int, events: list[str], receiver: str, handler_span: tuple[int, int],
              delegated: str | None = None) -> None:
        events = [e.lower() for e in events if e]
        if not events:
            return
        holder = self.sources[source].holder
        scope = _Scope(this=(holder,)) if self._is_attribute(source) else _Scope()
        target = self._elements(receiver, scope)
        if delegated and isinstance(target, (tuple, str)):
            roots = [self.page.document] if target == _WINDOW else list(target)
            target = tuple(e for root in roots for e in select(root, delegated))
        if target is None:
            if not any(e in MOTION_EVENTS for e in events):
                return
            target = _WINDOW
        regions = self._handler_regions(source, *handler_span)
        if not regions:
            return
        elements = () if target == _WINDOW else target
        for event in events:
            self._add_handler(event, elements, holder, regions, on_window=target == _WINDOW)

    def _is_attribute(self, source: int) -> bool:
        return self.sources[source].holder.name != "script"

    def _add_handler(self, event: str, elements: tuple[Tag, ...], holder: Tag, regions: list[_Region],
                     on_window: bool = False) -> None:
        scope = _Scope(this=elements)
        effects: list[Effect] = []
        comparisons: list[Comparison] = []
        code = []
        for region in regions:
            effects.extend(self._effects(region, scope, 0, frozenset()))
            code.append(restore(self.sources[region.source].code[region.start:region.end].strip(), self.strings))
            if event in MOTION_EVENTS:
                comparisons.extend(self._comparisons(region))
        text = " ".join(code)
        handler = Handler(event=event, elements=elements, holder=holder, effects=tuple(effects),
                          code=text if len(text) <= 300 else text[:299] + "…", comparisons=tuple(comparisons),
                          navigates_anywhere=any(self._navigates_anywhere(r) for r in regions))
        self.handlers.append(handler)
        # An <img onerror> fires by itself too; window.onerror only on a script error.
        automatic = (event in LOAD_EVENTS and on_window) or \
            (event in LOAD_EVENTS | {"error"} and any(e.name in _SELF_LOADING for e in elements))
        if automatic:
            self.automatic.extend(AutomaticEffect(effect=e, holder=holder) for e in effects)

    def _navigates_anywhere(self, region: _Region) -> bool:
        """Whether the region's code, nested functions included, or a named function it
        calls navigates (remembered per region; a call back into a region being read
        adds nothing)."""
        if region not in self._navigation_memo:
            self._navigation_memo[region] = False
            code = self.sources[region.source].code[region.start:region.end]
            navigates = any(p.search(code) for p in (_NAVIGATE_ASSIGN, _NAVIGATE_CALL, _WINDOW_OPEN))
            self._navigation_memo[region] = navigates or any(
                self._navigates_anywhere(_Region(index, function.body_start, function.body_end))
                for match in _CALL.finditer(code)
                for index, function in self._callees(match.group(1), region.source, region.start + match.start()))
        return self._navigation_memo[region]

    def _comparisons(self, region: _Region, seen: frozenset = frozenset()) -> list[Comparison]:
        """Numeric comparisons in the region and in the named functions it calls."""
        if region in seen or len(seen) > _MAX_DEPTH:
            return []
        seen = seen | {region}
        code = self.sources[region.source].code[region.start:region.end]
        found = []
        for match in _COMPARISON.finditer(code):
            value = self._number(match.group(3))
            left = _balanced(match.group(1))
            if value is not None and not re.fullmatch(r"-?[\d.]+", left):
                found.append(Comparison(expression=restore(f"{left} {match.group(2)} {match.group(3)}", self.strings),
                                        operator=match.group(2), value=value))
        for match in _REVERSED_COMPARISON.finditer(code):
            flipped = {">": "<", "<": ">", ">=": "<=", "<=": ">="}[match.group(2)]
            right = _balanced(match.group(3))
            found.append(Comparison(expression=restore(f"{match.group(1)} {match.group(2)} {right}", self.strings),
                                    operator=flipped, value=float(match.group(1))))
        for match in _CALL.finditer(code):
            for index, function in self._callees(match.group(1), region.source, region.start + match.start()):
                found.extend(self._comparisons(_Region(index, function.body_start, function.body_end), seen))
        return found

    # values

    def _literal(self, expression: str) -> str | None:
        text = expression.strip()
        value = string_at(text, self.strings)
        if value is not None:
            return value
        return text if re.fullmatch(r"-?[\d.]+", text) else None

    def _number(self, expression: str, depth: int = 0) -> float | None:
        text = expression.strip()
        if re.fullmatch(r"-?\d+(\.\d+)?", text):
            return float(text)
        if re.fullmatch(r"\d+(\.\d+)?(\s*\*\s*\d+(\.\d+)?)+", text):
            product = 1.0
            for factor in text.split("*"):
                product *= float(factor)
            return product
        declarations = self.variables.get(text, [])
        if depth < 4 and len(declarations) == 1:
            return self._number(declarations[0][1], depth + 1)
        return None

    def _url(self, expression: str, scope: _Scope, depth: int = 0) -> str | None:
        """The literal destination of a URL expression: string literals, constants and
        the element's own href/data attributes, concatenated up to the first part only
        known at run time. None when even the start is unknown."""
        if len(expression) > MAX_URL_EXPRESSION:
            return None  # no literal address is this long; hostile nesting is
        parts = []
        for term in _top_level_split(expression, "+"):
            value, complete = self._string_value(term, scope, depth)
            if value is None:
                break
            parts.append(value)
            if not complete:
                break
        return "".join(parts) if parts else None

    def _string_value(self, term: str, scope: _Scope, depth: int) -> tuple[str | None, bool]:
        term = _unparenthesised(term.strip())
        literal = string_at(term, self.strings)
        if literal is not None:
            cut = literal.find("${")
            return (literal, True) if cut < 0 else (literal[:cut], False)
        declarations = self.variables.get(term, [])
        if re.fullmatch(r"[\w$]+", term) and len(declarations) == 1 and depth < 4:
            value = self._url(declarations[0][1], scope, depth + 1)
            return value, value is not None
        attribute = _attribute_read(term, self.strings)
        if attribute is not None:
            base, name = attribute
            elements = self._elements(base, scope, depth + 1)
            if isinstance(elements, tuple) and elements and isinstance(elements[0].get(name), str):
                return elements[0][name].strip(), True
        return None, False

    def _elements(self, expression: str, scope: _Scope, depth: int = 0) -> tuple[Tag, ...] | str | None:
        """The elements an expression denotes, _WINDOW for window/document, or None."""
        text = _unparenthesised(re.sub(r"\s+", "", expression))
        if not text or depth > _MAX_DEPTH:
            return None
        document = self.page.document
        if text in ("window", "document", "self", "top", "document.documentElement", "$(window)", "$(document)",
                    "jQuery(window)", "jQuery(document)"):
            return _WINDOW
        if text in ("document.body", "$(document.body)", "$('body')"):
            return tuple(document.find_all("body", limit=1))
        if text in ("this", "$(this)", "jQuery(this)") or _EVENT_TARGET.fullmatch(text):
            return scope.this
        if (bound := scope.name(text)) is not None:
            return bound
        if match := re.fullmatch(r"document\.forms(?:\[(\d+)\]|\[" + _S + r"\]|\.([\w$]+))", text):
            forms = document.find_all("form")
            if match.group(1) is not None:
                number = int(match.group(1))
                return (forms[number],) if number < len(forms) else ()
            name = self.strings[int(match.group(2))] if match.group(2) else match.group(3)
            return tuple(f for f in forms if name in (f.get("name"), f.get("id")))
        if match := re.fullmatch(r"(.+)\[(\d+)\]", text):
            base = self._elements(match.group(1), scope, depth + 1)
            number = int(match.group(2))
            return (base[number],) if isinstance(base, tuple) and number < len(base) else None
        if match := re.fullmatch(r"(.+)\.(eq)\((\d+)\)|(.+)\.(first|last)\(\)", text):
            base = self._elements(match.group(1) or match.group(4), scope, depth + 1)
            if not isinstance(base, tuple) or not base:
                return None
            if match.group(5):
                return (base[0],) if match.group(5) == "first" else (base[-1],)
            number = int(match.group(3))
            return (base[number],) if number < len(base) else ()
        if match := re.fullmatch(r"(.+)\.(parentNode|parentElement|parent\(\))", text):
            base = self._elements(match.group(1), scope, depth + 1)
            return tuple(e.parent for e in base if isinstance(e.parent, Tag)) if isinstance(base, tuple) else None
        if match := re.fullmatch(r"(.+)\.(closest|parents)\(" + _S + r"\)", text):
            base = self._elements(match.group(1), scope, depth + 1)
            selector = self.strings[int(match.group(3))]
            if not isinstance(base, tuple):
                return None
            return tuple(c for e in base if (c := _closest(e, selector)) is not None)
        if match := _FINDER.fullmatch(text):
            base = self._elements(match.group(1), scope, depth + 1)
            method, argument = match.group(2), self.strings[int(match.group(3))]
            if base == _WINDOW:
                found = self._in_document(method, argument)
            else:
                roots = list(base) if isinstance(base, tuple) else []
                found = tuple(e for root in roots for e in select(root, _as_selector(method, argument)))
            return found[:1] if method in ("querySelector", "getElementById") else found
        if match := re.fullmatch(r"(?:\$|jQuery)\((.+)\)", text):
            selector = string_at(match.group(1), self.strings)
            if selector is not None:
                return () if selector.lstrip().startswith("<") else self._in_document("querySelectorAll", selector)
            return self._elements(match.group(1), scope, depth + 1)
        if re.fullmatch(r"[\w$]+", text):
            declarations = self.variables.get(text, [])
            resolved = [self._elements(expr, scope, depth + 1) for _, expr in declarations[:3]]
            elements = [r for r in resolved if isinstance(r, tuple)]
            return tuple(e for r in elements for e in r) if len(elements) == len(resolved) and elements else None
        if match := _SAME_SET_METHOD.fullmatch(text):
            return self._elements(match.group(1), scope, depth + 1)
        return None


    def _in_document(self, method: str, argument: str) -> tuple[Tag, ...]:
        """Elements found from the document, cached: scripts look the same ids up again
        and again."""
        key = (method, argument)
        if key not in self._lookups:
            if method == "getElementById":
                if self._ids is None:
                    self._ids = {}
                    for element in self.page.document.find_all(id=True):
                        self._ids.setdefault(str(element.get("id")), []).append(element)
                self._lookups[key] = tuple(self._ids.get(argument, ())[:1])
            else:
                self._lookups[key] = tuple(select(self.page.document, _as_selector(method, argument)))
        return self._lookups[key]


def _style_action(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip().lower().replace("!important", "").strip()
    if name == "display":
        return HIDE if value == "none" else REVEAL
    if name == "visibility":
        return HIDE if value in ("hidden", "collapse") else REVEAL if value == "visible" else None
    if name == "opacity":
        try:
            return HIDE if float(value) <= 0.0 else REVEAL
        except ValueError:
            return None
    return None


def _receiver_before(code: str, position: int) -> str:
    """The member expression ending just before ``position`` (the "." of a method):
    identifiers, dots and balanced (…) / […] groups, walked backwards."""
    i = position
    while i > 0 and code[i - 1].isspace():
        i -= 1
    end = i
    while i > 0:
        char = code[i - 1]
        if char in ")]":
            depth, j = 0, i - 1
            opening = "(" if char == ")" else "["
            while j >= 0:
                if code[j] == char:
                    depth += 1
                elif code[j] == opening:
                    depth -= 1
                    if depth == 0:
                        break
                j -= 1
            i = max(j, 0)
        elif char.isalnum() or char in "_$.\x02\x03":
            i -= 1
        elif char.isspace() and code[i:i + 1] == ".":
            i -= 1
        else:
            break
    return code[i:end].strip()


def _unparenthesised(text: str) -> str:
    """"((x))" -> "x"; "(a)+(b)" stays (lifted code: brackets in text are tokens)."""
    while text.startswith("(") and text.endswith(")") and _closing_parenthesis(text) == len(text) - 1:
        text = text[1:-1].strip()
    return text


def _closing_parenthesis(text: str) -> int:
    """The index of the ")" closing the "(" that opens ``text``."""
    depth = 0
    for index, char in enumerate(text):
        depth += (char == "(") - (char == ")")
        if depth == 0:
            return index
    return len(text)


def _balanced(expression: str) -> str:
    """"if(Math.abs(x)" -> "Math.abs(x)", "beta)" -> "beta": drop what unbalanced
    parentheses leave around an operand."""
    text = expression.strip()
    while text.count("(") > text.count(")"):
        text = text[text.index("(") + 1:].strip()
    while text.count(")") > text.count("("):
        text = text[:text.rindex(")")].strip()
    return text


def _top_level_split(expression: str, separator: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in expression:
        depth += char in "([{"
        depth -= char in ")]}"
        if char == separator and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return parts


def _attribute_read(term: str, strings: list[str]) -> tuple[str, str] | None:
    """(element expression, attribute) for reads like ``this.href``,
    ``el.getAttribute('data-url')``, ``this.dataset.url``, ``$(this).attr('href')``."""
    text = re.sub(r"\s+", "", term)
    if match := re.fullmatch(r"(.+)\.(href|action|src)", text):
        return match.group(1), match.group(2)
    if match := re.fullmatch(r"(.+)\.(?:getAttribute|attr)\(" + STRING_TOKEN + r"\)", text):
        return match.group(1), strings[int(match.group(2))]
    if match := re.fullmatch(r"(.+)\.data\(" + STRING_TOKEN + r"\)", text):
        return match.group(1), "data-" + strings[int(match.group(2))]
    if match := re.fullmatch(r"(.+)\.dataset\.([\w$]+)", text):
        return match.group(1), "data-" + re.sub(r"([A-Z])", lambda m: "-" + m.group(1).lower(), match.group(2))
    return None


def _as_selector(method: str, argument: str) -> str:
    if method == "getElementById":
        return f'[id="{_css_string(argument)}"]'
    if method == "getElementsByClassName":
        return "".join(f'[class~="{_css_string(c)}"]' for c in argument.split())
    if method == "getElementsByName":
        return f'[name="{_css_string(argument)}"]'
    return argument


def _css_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def select(root, selector: str) -> list[Tag]:
    """The elements under ``root`` a CSS selector selects; none for one soupsieve cannot
    parse (scripts and data attributes hold jQuery-only and malformed selectors)."""
    try:
        return root.select(selector)
    except Exception:  # jQuery-only or malformed selectors: soupsieve raises various errors
        return []


def _closest(element: Tag, selector: str) -> Tag | None:
    try:
        return element.find_parent(lambda tag: tag.name != "[document]" and tag.css.match(selector)) \
            if not element.css.match(selector) else element
    except Exception:  # see select
        return None


# --- a rendered page: what the browser saw ---------------------------------------------
# A rendered page's scripts as the browser ran them: the navigations it saw with no
# input (within the timer budget) and when the phone was shaken replace what reading the
# code alone guessed, so UI004 and UI005 judge what happened.
#
# A navigation the reading found and the browser also saw keeps the reading's code (and
# is marked as seen); one the browser saw that the reading missed (code in an external
# script, a computed address, a frame) is added, held by the ``<script src>`` or frame that
# asked for it (or the page's root element when that was inline code); one the reading
# found but the browser never saw within the budget is dropped: the code did not run.

def _with_observed(page: Page, scripts: PageScripts) -> None:
    facts = page.rendered
    seen = {_resolved(page, o.url): o for o in facts.automatic}
    automatic = []
    for found in scripts.automatic:
        effect = found.effect
        if effect.action != NAVIGATE:
            automatic.append(found)
            continue
        observed = _seen_for(page, effect.url, seen) if effect.url is not None else None
        if observed is not None:
            automatic.append(replace(found, effect=replace(effect, observed=_said(observed, facts.budget_ms))))
    for url, observed in seen.items():
        effect = Effect(action=NAVIGATE, url=url, observed=_said(observed, facts.budget_ms),
                        code=_ran(observed, url))
        automatic.append(AutomaticEffect(effect=effect, holder=_holder(page, observed)))
    scripts.automatic = automatic

    motion = [h for h in scripts.motion_handlers if h.navigations]
    if not facts.on_motion:
        scripts.handlers = [h for h in scripts.handlers if h not in motion]
        return
    observed = facts.on_motion[0]
    url = _resolved(page, observed.url)
    said = f"seen in the browser: {observed.kind} to {url} when the phone was shaken"
    if motion:
        scripts.handlers = [replace(h, effects=tuple(replace(e, observed=said) if e.action == NAVIGATE else e
                                                     for e in h.effects)) if h in motion else h
                            for h in scripts.handlers]
        return
    effect = Effect(action=NAVIGATE, url=url, observed=said, code=_ran(observed, url))
    scripts.handlers.append(Handler(event="devicemotion", elements=(), holder=_holder(page, observed), effects=(effect,),
                                    code=effect.code, navigates_anywhere=True))


def _seen_for(page: Page, url: str, seen: dict[str, Observed]) -> Observed | None:
    """What the browser saw of a navigation the reading found (taken out of ``seen``):
    the same address, or one that begins with it (the reading keeps the literal head of
    an address the code builds: ``"https://promo.example/?src=" + name``)."""
    wanted = _resolved(page, url)
    if wanted in seen:
        return seen.pop(wanted)
    found = next((address for address in seen if address.startswith(wanted)), None)
    return seen.pop(found) if found is not None else None


def _holder(page: Page, observed: Observed) -> Tag:
    """The ``<script src>`` or frame that asked for ``observed``, else the page's root element."""
    if observed.source:
        for holder in page.document.find_all(["script", "iframe", "frame"], src=True):
            if urljoin(page.rendered.document_url, str(holder["src"]).strip()) == observed.source:
                return holder
    return page.document.find("html") or page.document


def _resolved(page: Page, url: str) -> str:
    return classify(page_relative(url, page.url), page.url).url


def _ran(observed: Observed, url: str) -> str:
    """The "code" of a navigation only the browser saw (no code of the page's was read for it)."""
    return f"(run in the browser) {observed.kind} to {url}"


def _said(observed: Observed, budget_ms: int) -> str:
    return f"seen in the browser: {observed.kind} within {budget_ms / 1000:g} s of loading, without any input"
