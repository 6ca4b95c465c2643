"""What the browser says about a rendered page, attached to the page as ``page.rendered``.

The page model consults these facts where present: computed style values stand in for
the approximate cascade, boxes for the guessed sizes, observed taps for the reading of
handlers, observed navigations for the reading of timers. This module imports nothing
of the page model, which imports it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from bs4 import Tag

# The computed properties read from the browser, in the order the snapshot script sends them.
PROPERTIES = ("display", "visibility", "opacity", "position", "z-index", "font-size", "line-height", "color",
              "background-color", "background-image", "pointer-events", "top", "right", "bottom", "left")


@dataclass(frozen=True, kw_only=True)
class Box:
    """An element's border box in CSS px, relative to the viewport at load."""

    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True, kw_only=True)
class ElementFacts:
    computed: dict[str, str]
    box: Box
    on_top: bool | None  # the element (or a descendant) is what a tap at its centre hits; None off screen


@dataclass(frozen=True, kw_only=True)
class Observed:
    """Something the page did in the browser: ``kind`` is "navigation", "new window",
    "download" or "app link"; ``url`` where it went."""

    kind: str
    url: str
    source: str | None = None  # the URL of the script or frame that asked for it (the page's own: inline code)


@dataclass(frozen=True, kw_only=True)
class TapResult:
    """What a tap on a control did: what it set off (None: nothing), and whether the
    pop-up it sits in was gone afterwards."""

    observed: Observed | None
    popup_gone: bool | None


@dataclass(frozen=True, kw_only=True)
class LateClose:
    """A real way out of a pop-up that was not there when the page was read: the close
    ``element`` of ``page``, the page as read again ``after_ms`` after loading (it was
    still missing at ``missing_at_ms``). Not ``late`` when it came a moment after the
    reading (drawn with its pop-up, a creative still loading)."""

    page: object  # a scanner.page.Page (this module imports nothing of the page model)
    element: Tag
    after_ms: int
    missing_at_ms: int
    late: bool


@dataclass(kw_only=True)
class RenderedFacts:
    viewport: tuple[float, float]
    document_url: str = ""  # where the browser loaded the page (a saved page of unknown origin: a stand-in)
    elements: dict[int, ElementFacts] = field(default_factory=dict)   # by id() of the page's tags
    taps: dict[int, TapResult] = field(default_factory=dict)         # by id() of the tapped control
    main_area_taps: dict[int, TapResult] = field(default_factory=dict)  # by id() of the pop-up tapped
    # A close control's contrast against what is actually behind it, from the screen's pixels.
    contrasts: dict[int, float] = field(default_factory=dict)        # by id() of the control
    # What happened with no input within the timer budget (navigations, windows, downloads).
    automatic: list[Observed] = field(default_factory=list)
    # What happened when the phone was shaken (synthetic devicemotion / deviceorientation).
    on_motion: list[Observed] = field(default_factory=list)
    budget_ms: int = 0
    late_closes: dict[int, LateClose] = field(default_factory=dict)  # by id() of the pop-up
    # Stylesheets the page asked for that its capture (or folder) lacks: the browser then
    # drew it without their rules, and its computed style is no better than the markup's.
    missing_styles: tuple[str, ...] = ()

    def of(self, tag: Tag) -> ElementFacts | None:
        return self.elements.get(id(tag))


def rendered(page) -> RenderedFacts | None:
    """The browser's facts of ``page``, or None for a page read in the static mode."""
    return getattr(page, "rendered", None)


def rendered_styles(page) -> RenderedFacts | None:
    """The browser's facts of ``page`` when its style can be trusted: every stylesheet it
    asked for was there. Otherwise the page model reads the rendered DOM's own styles (its
    ``<style>`` blocks and the inline styles its scripts set) as it reads a saved page."""
    facts = rendered(page)
    return facts if facts is not None and not facts.missing_styles else None


class RenderedValues:
    """One element's computed values, answering as the cascade's declared values do:
    its sizes are the border box the browser laid out."""

    __slots__ = ("_values",)

    def __init__(self, facts: ElementFacts):
        box = facts.box
        self._values = {**facts.computed, "width": f"{box.width}px", "height": f"{box.height}px",
                        "box-sizing": "border-box"}

    def get(self, name: str, default: str | None = None) -> str | None:
        value = self._values.get(name)
        return default if value is None else value

    def __contains__(self, name: str) -> bool:
        return name in self._values

    def __getitem__(self, name: str) -> str:
        return self._values[name]
