"""The toggles a page shows (checkboxes, radio buttons, switches) with what each is
labelled and whether it is on, read from HTML pages and uiautomator dumps."""
from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import Tag
from bs4.element import NavigableString, PreformattedString

from appaudit.scanner.page import Page
from appaudit.scanner.pagemodel import page_cached
from appaudit.scanner.pagemodel.controls import name_tokens
from appaudit.scanner.pagemodel.text import element_text, page_root
from appaudit.scanner.pagemodel.uiautomator import label_of, nodes

LABEL_MAX = 200  # longer "labels" are paragraphs, not the name of one option
_SWITCH_STATES = frozenset({"on", "checked", "active", "selected", "onswitch", "open"})
# UI libraries that hide the real checkbox and keep its state in a class on the box around
# it, which a saved page keeps: Element UI / Element Plus, Ant Design.
_CHECKED_BOX_CLASSES = frozenset({"is-checked", "ant-checkbox-checked", "ant-radio-checked"})


@dataclass(frozen=True, kw_only=True)
class Toggle:
    """A checkbox, radio button or switch and what it is labelled. ``question`` is what
    a radio button's group asks when its own label only answers ("个性化广告" for "开启")."""

    element: Tag
    label: str
    checked: bool
    disabled: bool
    question: str = ""


def toggles(page: Page) -> list[Toggle]:
    """Every toggle on the page (cached): ``<input type=checkbox|radio>``, ARIA
    switches and checkboxes, UI-library switches (``van-switch--on``,
    ``el-switch is-checked``, ``ant-switch-checked``), and ``checkable`` dump nodes."""
    def build() -> list[Toggle]:
        if page.kind == "uiautomator":
            return [Toggle(element=n, label=_node_label(n), checked=n.get("checked") == "true",
                           disabled=n.get("enabled") == "false")
                    for n in nodes(page) if n.get("checkable") == "true"]
        found = []
        for element in page_root(page).find_all(True):
            checked = _html_checked(element)
            if checked is not None:
                found.append(Toggle(element=element, label=_html_label(page, element), checked=checked,
                                    disabled=_html_disabled(element), question=_group_question(page, element)))
        return found
    return page_cached(page, "toggles.toggles", build)


def _html_checked(element: Tag) -> bool | None:
    """Checked or not for a toggle; None for anything else."""
    if element.name == "input":
        if not _is_input(element, "checkbox", "radio"):
            return None
        box = element.parent
        return element.has_attr("checked") or bool(_CHECKED_BOX_CLASSES & set(box.get("class") or ()))
    if str(element.get("role", "")).lower() in ("switch", "checkbox", "menuitemcheckbox"):
        return str(element.get("aria-checked", "")).lower() == "true"
    tokens = [name_tokens(c) for c in element.get("class") or ()]
    if not any(t and t[-1] == "switch" for t in tokens):
        return None
    if element.name == "label" or element.find("input") is not None:
        return None  # a wrapper around a real checkbox: the input is the toggle
    return any(token in _SWITCH_STATES for t in tokens for token in t)


def _html_disabled(element: Tag) -> bool:
    if element.has_attr("disabled") or str(element.get("aria-disabled", "")).lower() == "true":
        return True
    if any("disabled" in name_tokens(c) for c in element.get("class") or ()):
        return True
    return element.find_parent("fieldset", disabled=True) is not None


def _html_label(page: Page, element: Tag) -> str:
    """What names a toggle: aria-label / aria-labelledby, its <label>, else the text
    beside it up to the next toggle, looking up to three levels out."""
    if isinstance(element.get("aria-label"), str) and element["aria-label"].strip():
        return element["aria-label"].strip()[:LABEL_MAX]
    labelled_by = element.get("aria-labelledby")
    by_id, labels_for = _ids_and_labels(page)
    if isinstance(labelled_by, str):
        parts = [by_id.get(i) for i in labelled_by.split()]
        text = " ".join(element_text(page, p, visible=False) for p in parts if p is not None)
        if text:
            return text[:LABEL_MAX]
    element_id = element.get("id")
    if isinstance(element_id, str) and element_id:
        label = labels_for.get(element_id)
        if label is not None and element_text(page, label, visible=False):
            return element_text(page, label, visible=False)[:LABEL_MAX]
    wrapping = element.find_parent("label")
    if wrapping is not None and element_text(page, wrapping, visible=False):
        return element_text(page, wrapping, visible=False)[:LABEL_MAX]
    own = element_text(page, element, visible=False)
    if own:
        return own[:LABEL_MAX]
    node = element
    for _ in range(3):
        text = _sibling_text(page, node)
        if text:
            return text[:LABEL_MAX]
        parent = node.parent
        if parent is None or parent.name in ("body", "html", "[document]") or _holds_other_toggle(parent, element):
            break
        node = parent
    return ""


def _ids_and_labels(page: Page) -> tuple[dict[str, Tag], dict[str, Tag]]:
    """The first element of each id and the first <label> for each id (cached): looked
    up once per page, not once per toggle."""
    def build() -> tuple[dict[str, Tag], dict[str, Tag]]:
        by_id: dict[str, Tag] = {}
        labels: dict[str, Tag] = {}
        for element in page.document.find_all(True):
            if isinstance(element.get("id"), str):
                by_id.setdefault(element["id"], element)
            if element.name == "label" and isinstance(element.get("for"), str):
                labels.setdefault(element["for"], element)
        return by_id, labels
    return page_cached(page, "toggles.ids_and_labels", build)


def _group_question(page: Page, element: Tag) -> str:
    """The question a radio button's group answers: its fieldset's legend, else the text
    just before the group (the radio buttons sharing its name) in the box holding them
    all: "个性化广告：" before "◉ 开启 ○ 关闭". Empty for anything else."""
    name = element.get("name")
    if not _is_input(element, "radio") or not isinstance(name, str) or not name:
        return ""
    fieldset = element.find_parent("fieldset")
    legend = fieldset.find("legend") if fieldset is not None else None
    if legend is not None and element_text(page, legend, visible=False):
        return element_text(page, legend, visible=False)[:LABEL_MAX]
    scope = element.find_parent("form") or page_root(page)
    group = _radios(page, scope).get(name, [])
    if len(group) < 2:
        return ""
    holding = [{id(a) for a in radio.parents} for radio in group[1:]]
    branch = group[0]
    while not all(id(branch.parent) in ancestors for ancestors in holding):
        branch = branch.parent
    for sibling in branch.previous_siblings:
        if isinstance(sibling, Tag) and _is_or_holds_toggle(sibling):
            break
        text = element_text(page, sibling, visible=False) if isinstance(sibling, Tag) else \
            ("" if isinstance(sibling, PreformattedString) else sibling.strip())
        if text:
            return text[:LABEL_MAX]
    return ""


def _radios(page: Page, scope: Tag) -> dict[str, list[Tag]]:
    """The radio buttons under ``scope`` by name (cached per scope)."""
    cache: dict[int, dict[str, list[Tag]]] = page_cached(page, "toggles.radios", dict)
    if id(scope) not in cache:
        grouped: dict[str, list[Tag]] = {}
        for radio in scope.find_all("input", attrs={"name": True}):
            if _is_input(radio, "radio"):
                grouped.setdefault(str(radio["name"]), []).append(radio)
        cache[id(scope)] = grouped
    return cache[id(scope)]


def _is_input(element: Tag, *types: str) -> bool:
    return element.name == "input" and str(element.get("type", "")).lower() in types


def _sibling_text(page: Page, node: Tag) -> str:
    """Text after the node up to the next toggle; failing that, text before it."""
    for siblings in (node.next_siblings, node.previous_siblings):
        parts = []
        for sibling in siblings:
            if isinstance(sibling, Tag):
                if _is_or_holds_toggle(sibling):
                    break
                parts.append(element_text(page, sibling, visible=False))
            elif isinstance(sibling, NavigableString) and not isinstance(sibling, PreformattedString):
                parts.append(str(sibling))
        text = re.sub(r"\s+", " ", " ".join(parts if siblings is node.next_siblings else reversed(parts))).strip()
        if text:
            return text
    return ""


def _is_or_holds_toggle(element: Tag) -> bool:
    return any(_html_checked(e) is not None for e in [element, *element.find_all(True)])


def _holds_other_toggle(container: Tag, toggle: Tag) -> bool:
    return any(e is not toggle and _html_checked(e) is not None for e in container.find_all(True))


def _node_label(node: Tag) -> str:
    """A dump node's label, else the labels of its siblings (a CheckBox with its text in
    the TextView beside it), looking up two levels while no other checkable shares them."""
    own = label_of(node)
    if re.search(r"\w", own):
        return own[:LABEL_MAX]
    current = node
    for _ in range(2):
        parent = current.parent
        if parent is None or parent.name != "node":
            break
        if any(n is not node and n.get("checkable") == "true" for n in parent.find_all("node")):
            break
        text = " ".join(filter(None, (label_of(n) for n in parent.find_all("node") if n is not node)))
        if text:
            return text[:LABEL_MAX]
        current = parent
    return own
