"""UI007 forced-personalisation."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

from bs4 import Tag

from appaudit.scanner.check import PageCheck
from appaudit.scanner.model import Evidence, Finding, Severity
from appaudit.scanner.page import Page
from appaudit.scanner.pagemodel.consent import PROMPT_TOPICS, TOPICS, is_feed_heading
from appaudit.scanner.pagemodel.controls import close_controls, short_label, xml_close_nodes
from appaudit.scanner.pagemodel.prompts import Action, actions, container_of, prompt_containers, settings_title
from appaudit.scanner.pagemodel.style import (UNKNOWN, closed_by_class, contrast_ratio, declared_background, shown_state,
                                              style_of)
from appaudit.scanner.pagemodel.text import element_text, page_root, text_holders, word_count
from appaudit.scanner.pagemodel.toggles import toggles
from appaudit.scanner.pagemodel.uiautomator import bounds_of, tap_target

# A decline control is of "similar weight" unless it is hidden, or far fainter, smaller
# or paler than the accept control. The bars are low on purpose: a plain "不同意" text
# link under a big "同意" button is common and accepted; a 9px grey link is not.
MAX_AREA_SHARE = 0.1          # decline tap area below 10% of the accept's
MIN_FONT_SHARE = 0.7          # decline text below 70% of the accept's size
MIN_FONT_PX = 10.0
MIN_OPACITY = 0.4
MIN_CONTRAST = 1.8            # barely distinguishable from its background
PROMPT_MAX_WORDS = 600        # a box holding more is a page layout, not a prompt
LABEL_MAX_CHARS = 20


@dataclass(frozen=True, kw_only=True)
class _Prompt:
    container: Tag
    accepts: list[Action]
    topics: list[str]


class ForcedPersonalisation(PageCheck):
    """A consent or personalisation prompt the user cannot refuse, or personalisation
    that cannot be switched off.

    - A prompt — a dialog, pop-up, cookie banner or fixed bar (HTML), or a dialog or the
      screen holding it (uiautomator) — about privacy consent, cookies or personalised
      recommendations/ads, with an accept action (同意 / 接受 / 知道了 / Accept / OK) and
      no decline of similar weight: no 不同意 / 拒绝 / 暂不 / 仅浏览 / Reject / Decline /
      Necessary only / close control at all (the finding points at the prompt), or only
      one that is hidden, nearly transparent, much smaller or as pale as its background
      (the finding points at that control). "Manage settings" is not a decline. A
      control counts by its aria-label or by the text it shows ("Got it!" named "dismiss
      cookie message" accepts), and a decline by its first clause ("不同意，退出App").
    - A personalisation switch that is on and disabled.
    - A personalised feed ("为你推荐", "猜你喜欢", "Recommended for you") on a page that
      offers settings (a settings heading and switches) none of which turns
      personalisation off. Without settings on the page nothing is said: the switch may
      be elsewhere.

    《App违法违规收集使用个人信息行为认定方法》(2019) 三.6 names targeted push without a
    non-targeted option; PIPL Art. 24 and the E-Commerce Law Art. 18 require an option
    not based on personal characteristics (or a convenient way to refuse);
    《互联网信息服务算法推荐管理规定》Art. 17 requires a way to switch algorithmic
    recommendation off; GB/T 35273-2020 §7.5 covers personalised display; under the
    GDPR refusing must be as easy as accepting (Art. 7(3), Art. 4(11)).
    """

    id = "UI007"
    name = "forced-personalisation"
    severity = Severity.MEDIUM
    regulations = ("《App违法违规收集使用个人信息行为认定方法》(2019) 三.6", "PIPL Art. 24", "《电子商务法》第十八条",
                   "《互联网信息服务算法推荐管理规定》第十七条", "GB/T 35273-2020 §7.5", "GDPR Art. 4(11), Art. 7")
    description = ("A consent / personalisation prompt with no way to decline, or personalisation that cannot be "
                   "switched off")

    def check_html(self, page: Page) -> Iterator[Finding]:
        yield from self._prompts(page, _html_prompts(page), _html_declines, _html_weakness)
        yield from self._locked_switches(page)
        yield from self._feed_without_switch(page)

    def check_screen(self, page: Page) -> Iterator[Finding]:
        yield from self._prompts(page, _screen_prompts(page), _screen_declines, _screen_weakness)
        yield from self._locked_switches(page)
        yield from self._feed_without_switch(page)

    # --- prompts

    def _prompts(self, page: Page, prompts: list[_Prompt], declines_of: Callable[[Page, _Prompt], list[Tag]],
                 weakness_of: Callable[[Page, Tag, _Prompt], list[str]]) -> Iterator[Finding]:
        """Prompts without a way to decline, or whose decline weighs much less than the
        accept: ``declines_of`` finds a prompt's ways to refuse and ``weakness_of`` says
        why one weighs less (empty: it does not), each read for the page's kind."""
        for prompt in prompts:
            declines = declines_of(page, prompt)
            weaknesses = [(d, weakness_of(page, d, prompt)) for d in declines]
            if any(not found for _, found in weaknesses):
                continue
            accept = prompt.accepts[0]
            about = _topic_words(prompt.topics)
            details = {"accept": accept.label, "accept_selector": page.selector(accept.element),
                       "topics": prompt.topics}
            if not declines:
                yield self.finding(
                    title=f"{about} prompt offers “{short_label(accept.label)}” and no way to decline",
                    message=("The prompt can only be accepted: there is no decline, reject or close control. "
                             "Users must be able to refuse as easily as they accept."),
                    location=page.location(prompt.container),
                    evidence=Evidence(details={"problem": "no decline", **details}),
                )
                continue
            decline, reasons = weaknesses[0]
            yield self.finding(
                title=f"{about} prompt: the decline option is {reasons[0]}",
                message=(f"“{short_label(_label(page, decline))}” is {', '.join(reasons)} next to "
                         f"“{short_label(accept.label)}”, so refusing is much harder to see or hit than accepting."),
                location=page.location(decline),
                evidence=Evidence(details={"problem": "weak decline", "decline": _label(page, decline),
                                           "weakness": reasons, **details}),
            )

    # --- switches and feeds

    def _locked_switches(self, page: Page) -> Iterator[Finding]:
        for toggle in toggles(page):
            if toggle.checked and toggle.disabled and TOPICS["personalisation"].search(toggle.label):
                yield self.finding(
                    title=f"Personalisation switch is on and cannot be changed: “{short_label(toggle.label)}”",
                    message="This personalisation option is switched on and disabled, so users cannot turn it off.",
                    location=page.location(toggle.element),
                    evidence=Evidence(details={"problem": "locked on", "label": toggle.label}),
                )

    def _feed_without_switch(self, page: Page) -> Iterator[Finding]:
        title = settings_title(page)
        switches = toggles(page)
        if title is None or not switches:
            return
        # A switch, a button or a settings row ("个性化推荐 ›") about personalisation.
        labels = [t.label for t in switches] + [a.label for a in actions(page)] + \
            [text for _, text in text_holders(page) if len(text) <= LABEL_MAX_CHARS]
        if any(TOPICS["personalisation"].search(label) for label in labels):
            return
        feed = next((element for element, text in text_holders(page) if is_feed_heading(text)), None)
        if feed is None:
            return
        yield self.finding(
            title=f"Personalised feed “{short_label(element_text(page, feed))}” with no switch to turn it off",
            message=("The page shows a personalised recommendation feed and offers settings, but none of them "
                     "turns personalised recommendations off. Offer a non-personalised option."),
            location=page.location(feed),
            evidence=Evidence(details={"problem": "no personalisation switch", "settings": page.selector(title),
                                       "settings_offered": [t.label for t in switches][:10]}),
        )


def _screen_prompts(page: Page) -> list[_Prompt]:
    """An app screen's prompts with an accept action and a consent/personalisation topic:
    the nearest ancestor of an accept button whose text names the topic."""
    by_node: dict[int, _Prompt] = {}
    for action in actions(page):
        container = _node_prompt(page, action.element) if action.accepts else None
        if container is not None:
            prompt = by_node.setdefault(id(container), _Prompt(container=container, accepts=[],
                                                               topics=_topics(page, container)))
            prompt.accepts.append(action)
    return list(by_node.values())


def _html_prompts(page: Page) -> list[_Prompt]:
    """A web page's prompts with an accept action and a consent/personalisation topic:
    the innermost of the page's pop-ups, consent banners and fixed bars that holds both."""
    # A panel the user must open (a preference centre behind "settings") is no first layer.
    found = [prompt for prompt in map(partial(_html_prompt, page), prompt_containers(page))
             if prompt and not closed_by_class(page, prompt.container)]
    if not found:
        # A whole screen can be the prompt (an onboarding page "为你开启个性化推荐" with
        # one button); only for personalisation, and never a form, so that a sign-up
        # page with a privacy checkbox is not mistaken for one.
        screen = page.document.find("main") or page_root(page)
        prompt = _html_prompt(page, screen)
        if prompt and "personalisation" in prompt.topics and not screen.find(["input", "textarea", "select"]):
            found.append(prompt)
    return [p for p in found if not _holds_another(p, found)]


def _html_prompt(page: Page, container: Tag) -> _Prompt | None:
    text = element_text(page, container, visible=False)
    accepts = [a for a in _labelled(page, container) if a.accepts]
    if accepts and word_count(text) <= PROMPT_MAX_WORDS and _topics(page, container):
        return _Prompt(container=container, accepts=accepts, topics=_topics(page, container))
    return None


def _holds_another(prompt: _Prompt, prompts: list[_Prompt]) -> bool:
    """Whether another prompt sits inside this one (a mask around its dialog): the inner
    one is the prompt."""
    inside = {id(e) for e in prompt.container.find_all(True)}
    return any(id(other.container) in inside for other in prompts if other is not prompt)


def _topics(page: Page, container: Tag) -> list[str]:
    text = element_text(page, container, visible=False)
    return [t for t in PROMPT_TOPICS if TOPICS[t].search(text)]


def _node_prompt(page: Page, node: Tag) -> Tag | None:
    own = element_text(page, node)
    for ancestor in node.parents:
        if ancestor.name != "node":
            return None
        text = element_text(page, ancestor).replace(own, "", 1)
        if any(TOPICS[t].search(text) for t in PROMPT_TOPICS):
            return ancestor
    return None


def _labelled(page: Page, container: Tag) -> list[Action]:
    """The controls of an HTML prompt: its actions, and short texts standing alone — a
    static page's ``<span>不同意</span>`` is meant as a button even without a handler."""
    inside = {id(e) for e in container.find_all(True)}
    found = [a for a in actions(page) if id(a.element) in inside]
    taken = {id(a.element) for a in found}
    for element in container.find_all(True):
        if id(element) in taken or any(id(p) in taken for p in element.parents):
            continue
        text = element_text(page, element, visible=False)
        if text and len(text) <= LABEL_MAX_CHARS and not any(element_text(page, c, visible=False) == text
                                                              for c in element.find_all(True, recursive=False)):
            found.append(Action(element=element, label=text))
    return found


def _screen_declines(page: Page, prompt: _Prompt) -> list[Tag]:
    """Ways to refuse on an app screen: decline-worded controls and close controls
    anywhere on the screen (a dialog's buttons may sit outside the node holding its text)."""
    found = [a.element for a in actions(page) if a.declines]
    return found + [n for n in xml_close_nodes(page) if all(n is not f for f in found)]


def _html_declines(page: Page, prompt: _Prompt) -> list[Tag]:
    """Ways to refuse on a web page: decline-worded controls and close controls in the
    outermost box around the prompt."""
    scope = container_of(page, prompt.container) or prompt.container
    inside = {id(e) for e in scope.find_all(True)}
    found = [a.element for a in _labelled(page, scope) if a.declines]
    found += [c.element for c in close_controls(page) if id(c.element) in inside and all(c.element is not f for f in found)]
    # A refusal in a panel the saved page cannot show as open (a preference centre
    # behind "settings") is not on the first layer.
    return [d for d in found if shown_state(page, d) != UNKNOWN]


def _screen_weakness(page: Page, decline: Tag, prompt: _Prompt) -> list[str]:
    """Why a decline control on an app screen weighs much less than the accept control
    (empty: it does not): its tap target, the one thing a dump tells."""
    decline_area, accept_area = _tap_area(decline), _tap_area(prompt.accepts[0].element)
    if decline_area is not None and accept_area and decline_area < MAX_AREA_SHARE * accept_area:
        return [f"a much smaller target ({decline_area / accept_area:.0%} of the accept button's area)"]
    return []


def _html_weakness(page: Page, decline: Tag, prompt: _Prompt) -> list[str]:
    """Why a decline control on a web page weighs much less than the accept control
    (empty: it does not)."""
    accept = prompt.accepts[0].element
    chain = _chain(decline, prompt.container)
    styles = [style_of(page, e) for e in chain]
    if any(s.display == "none" or s.visibility in ("hidden", "collapse") for s in styles):
        return ["hidden"]
    reasons = []
    opacity = 1.0
    for style in styles:
        opacity *= style.opacity
    if opacity < MIN_OPACITY:
        reasons.append(f"nearly transparent (opacity {opacity:.2f})")
    decline_font, accept_font = style_of(page, decline).font_size, style_of(page, accept).font_size
    if decline_font < MIN_FONT_PX or decline_font < MIN_FONT_SHARE * accept_font:
        reasons.append(f"in much smaller type ({decline_font:g}px against {accept_font:g}px)")
    contrast = _contrast(page, decline)
    if contrast is not None and contrast < MIN_CONTRAST:
        reasons.append(f"nearly the colour of its background (contrast {contrast:.2f}:1)")
    decline_box, accept_box = style_of(page, decline).border_box, style_of(page, accept).border_box
    if None not in decline_box and None not in accept_box and accept_box[0] * accept_box[1] > 0 \
            and decline_box[0] * decline_box[1] < MAX_AREA_SHARE * accept_box[0] * accept_box[1]:
        reasons.append("a much smaller target")
    return reasons


def _chain(element: Tag, container: Tag) -> list[Tag]:
    chain = [element]
    for ancestor in element.parents:
        if ancestor is container or ancestor.name == "[document]":
            break
        chain.append(ancestor)
    return chain


def _contrast(page: Page, element: Tag) -> float | None:
    background = declared_background(page, element)
    if background is None:
        return None
    return contrast_ratio(style_of(page, element).color, background[0])


def _tap_area(node: Tag) -> int | None:
    target = tap_target(node)
    bounds = bounds_of(target) if target is not None else None
    return bounds.area if bounds is not None else None


def _label(page: Page, element: Tag) -> str:
    return next((a.label for a in actions(page) if a.element is element), None) or element_text(page, element) or "×"


def _topic_words(topics: list[str]) -> str:
    return {"privacy": "Privacy consent", "cookies": "Cookie consent",
            "personalisation": "Personalisation"}[topics[0]]
