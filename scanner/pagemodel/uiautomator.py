"""Helpers for Android ``uiautomator dump`` pages: node bounds, the screen, pixel to dp
conversion, and clickability (a tap on a node that is not clickable goes to its nearest
clickable ancestor).

Bounds in a dump are physical pixels (``bounds="[0,0][1080,2340]"``). Sizes are judged
in dp (dp = px * 160 / dpi). The density comes from ``--dpi``; without it, it is
estimated from the screen's narrow side taken as 411 dp — a typical phone and on the
wide side, so the estimate never makes a control look smaller than it is.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import Tag

from appaudit.scanner.page import Page
from appaudit.scanner.pagemodel import page_cached

ASSUMED_SCREEN_DP = 411.0
_BOUNDS = re.compile(r"\[(-?\d+),(-?\d+)\]\[(-?\d+),(-?\d+)\]")


@dataclass(frozen=True, kw_only=True)
class Bounds:
    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        return max(self.right - self.left, 0)

    @property
    def height(self) -> int:
        return max(self.bottom - self.top, 0)

    @property
    def area(self) -> int:
        return self.width * self.height


@dataclass(frozen=True, kw_only=True)
class Density:
    dpi: float
    estimated: bool

    def dp(self, px: float) -> float:
        return px * 160.0 / self.dpi

    def describe(self) -> str:
        if self.estimated:
            return (f"density estimated at {self.dpi:.0f} dpi from the screen width "
                    f"(assumed {ASSUMED_SCREEN_DP:.0f} dp wide; pass --dpi for exact sizes)")
        return f"{self.dpi:g} dpi (given)"


def bounds_of(node: Tag) -> Bounds | None:
    match = _BOUNDS.fullmatch(str(node.get("bounds", "")).replace(" ", ""))
    if match is None:
        return None
    left, top, right, bottom = (int(v) for v in match.groups())
    return Bounds(left=left, top=top, right=right, bottom=bottom)


def nodes(page: Page) -> list[Tag]:
    return page_cached(page, "uiautomator.nodes", lambda: page.document.find_all("node"))


def screen_of(page: Page) -> Bounds | None:
    """The screen: the root node's bounds (the union of all nodes if it has none)."""
    def build() -> Bounds | None:
        all_nodes = nodes(page)
        if not all_nodes:
            return None
        root = bounds_of(all_nodes[0])
        if root is not None and root.area > 0:
            return root
        known = [b for b in map(bounds_of, all_nodes) if b is not None]
        if not known:
            return None
        return Bounds(left=min(b.left for b in known), top=min(b.top for b in known),
                      right=max(b.right for b in known), bottom=max(b.bottom for b in known))
    return page_cached(page, "uiautomator.screen", build)


def density_of(page: Page, dpi: float | None) -> Density:
    if dpi:
        return Density(dpi=float(dpi), estimated=False)
    screen = screen_of(page)
    narrow = min(screen.width, screen.height) if screen else 0
    return Density(dpi=narrow * 160.0 / ASSUMED_SCREEN_DP if narrow else 160.0, estimated=True)


def screen_share(page: Page, node: Tag) -> float:
    """The share (0..1) of the screen a node's bounds cover."""
    screen, bounds = screen_of(page), bounds_of(node)
    if not screen or not bounds or not screen.area:
        return 0.0
    width = max(min(bounds.right, screen.right) - max(bounds.left, screen.left), 0)
    height = max(min(bounds.bottom, screen.bottom) - max(bounds.top, screen.top), 0)
    return width * height / screen.area


def is_clickable(node: Tag) -> bool:
    return node.get("clickable") == "true"


def clickable_ancestor(node: Tag) -> Tag | None:
    """The nearest clickable ancestor: where a tap on a non-clickable node goes."""
    for ancestor in node.parents:
        if ancestor.name == "node" and is_clickable(ancestor):
            return ancestor
    return None


def tap_target(node: Tag) -> Tag | None:
    """The node that receives a tap on ``node``: itself if clickable, else its nearest
    clickable ancestor (None if nothing handles it)."""
    return node if is_clickable(node) else clickable_ancestor(node)


def label_of(node: Tag) -> str:
    """What the node shows or announces: its text and content description."""
    parts = [str(node.get("text", "")).strip(), str(node.get("content-desc", "")).strip()]
    return " ".join(p for p in parts if p)


def resource_name(node: Tag) -> str:
    """"com.app:id/btn_close" -> "btn_close"."""
    resource = str(node.get("resource-id", ""))
    return resource.split(":id/", 1)[-1] if resource else ""

