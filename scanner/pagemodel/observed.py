"""A rendered page's scripts as the browser ran them: the navigations it saw with no
input (within the timer budget) and when the phone was shaken replace what reading the
code alone guessed, so UI004 and UI005 judge what happened.

A navigation the reading found and the browser also saw keeps the reading's code (and
is marked as seen); one the browser saw that the reading missed (code in an external
script, a computed address, a frame) is added, held by the ``<script src>`` or frame that
asked for it (or the page's root element when that was inline code); one the reading found but the
browser never saw within the budget is dropped: the code did not run.
"""
from __future__ import annotations

from dataclasses import replace
from urllib.parse import urljoin

from bs4 import Tag

from appaudit.scanner.page import Page
from appaudit.scanner.pagemodel.destinations import classify
from appaudit.scanner.pagemodel.scripts import NAVIGATE, AutomaticEffect, Effect, Handler, PageScripts
from appaudit.scanner.render.facts import Observed
from appaudit.scanner.render.replay import page_relative


def with_observed(page: Page, scripts: PageScripts) -> None:
    facts = page.rendered
    seen = {_resolved(page, o.url): o for o in facts.automatic}
    automatic = []
    for found in scripts.automatic:
        effect = found.effect
        if effect.action != NAVIGATE:
            automatic.append(found)
            continue
        observed = seen.pop(_resolved(page, effect.url), None) if effect.url is not None else None
        if observed is not None:
            automatic.append(replace(found, effect=replace(effect, observed=_said(observed, facts.budget_ms))))
    for url, observed in seen.items():
        effect = Effect(action=NAVIGATE, url=url, observed=_said(observed, facts.budget_ms),
                        code=f"(run in the browser) {observed.kind} to {url}")
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
    effect = Effect(action=NAVIGATE, url=url, observed=said, code=f"(run in the browser) {observed.kind} to {url}")
    scripts.handlers.append(Handler(event="devicemotion", elements=(), holder=_holder(page, observed), effects=(effect,),
                                    code=effect.code, navigates_anywhere=True))


def _holder(page: Page, observed: Observed) -> Tag:
    """The ``<script src>`` or frame that asked for ``observed``, else the page's root element."""
    if observed.source:
        for holder in page.document.find_all(["script", "iframe", "frame"], src=True):
            if urljoin(page.rendered.document_url, str(holder["src"]).strip()) == observed.source:
                return holder
    return page.document.find("html") or page.document


def _resolved(page: Page, url: str) -> str:
    return classify(page_relative(url, page.url), page.url).url


def _said(observed: Observed, budget_ms: int) -> str:
    return f"seen in the browser: {observed.kind} within {budget_ms / 1000:g} s of loading, without any input"
