"""What the UI checks know about a page beyond its markup, worked out once per page.

- ``destinations``: where a link or a script sends the user (same site, other site,
  app store, app deep link, download ...).
- ``style``: an approximate computed style per element (the ``<style>`` cascade plus
  inline styles), enough to tell position, size, visibility and colours.
- ``scripts``: a careful reading, without a JavaScript engine, of inline scripts and
  handler attributes: which code navigates, hides or reveals what, and on which trigger
  (``jslex`` lifts out strings, blanks comments and finds functions for it).
- ``uiautomator``: bounds, density and clickability of ``uiautomator dump`` nodes.
- ``controls``: the vocabulary the UI checks share: pop-ups, close-looking controls and
  what a tap on an element does.
- ``text``: the text an element shows, the elements holding text, word counts.
- ``toggles``: checkboxes, radio buttons and switches, with their labels and state.
- ``prompts``: prompt boxes (consent banners, dialogs), labelled actions, settings titles.
- ``consent``: the wording of consent prompts and options, in many languages.
- ``registration``: ICP filing numbers.
- ``notices``: what the report says about a page it could not fully judge.

Everything is computed lazily and cached on the :class:`~scanner.page.Page` object, so
the UI checks reading one page pay for each analysis once.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from appaudit.scanner.page import Page

T = TypeVar("T")


def page_cached(page: "Page", key: str, build: Callable[[], T]) -> T:
    """The value stored on ``page`` under ``key``, built on first use."""
    cache = page.__dict__.setdefault("_pagemodel_cache", {})
    if key not in cache:
        cache[key] = build()
    return cache[key]


def unit_problems(page: "Page") -> list[str]:
    """The parts of ``page`` (a script, an element) an analysis could not read. An
    analysis catches errors per part, so one hostile script costs that script only; the
    engine reports these as errors of the input (the page was not fully judged)."""
    return page.__dict__.setdefault("_unit_problems", [])


def unit_failed(page: "Page", what: str, error: Exception) -> None:
    from appaudit.scanner.failures import describe

    problem = f"{what} could not be read: {describe(error)}"
    if problem not in unit_problems(page):
        unit_problems(page).append(problem)
