"""Debian Chromium through Playwright, set up so that a render depends only on its inputs.

* frozen clock (``Date.now`` and ``new Date()`` return the sample data's ``now``; timers run),
  time zone UTC, locale en-US, one viewport and device scale factor, reduced motion, light scheme;
* no request leaves 127.0.0.1: every request is routed; the stub's own address goes through,
  Google Fonts are answered from ``FontBook``, anything else is aborted and recorded in
  ``blocked``; the host resolver maps every other name to nothing as a second fence.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from screenkit.fonts import FontBook

CHROMIUM = os.environ.get("KFGUIDE_CHROMIUM", "/usr/bin/chromium")
LOCALE = "en-US"
TIMEZONE = "UTC"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-domain-reliability",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--font-render-hinting=none",
    "--force-color-profile=srgb",
    "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


@dataclass
class Setup:
    """What fixes a render, written into the record."""

    viewport: tuple[int, int]
    scale: float
    now: datetime
    locale: str = LOCALE
    timezone: str = TIMEZONE
    color_scheme: str = "light"

    def as_record(self) -> dict:
        return {
            "viewport": {"width": self.viewport[0], "height": self.viewport[1]},
            "device_scale_factor": self.scale,
            "clock": self.now.isoformat().replace("+00:00", "Z"),
            "locale": self.locale,
            "timezone": self.timezone,
            "color_scheme": self.color_scheme,
        }


@dataclass
class Offline:
    """The routing rule: local origin through, fonts from disk, everything else aborted."""

    origin: str
    fonts: FontBook
    blocked: list[str] = field(default_factory=list)

    def handle(self, route) -> None:
        url = route.request.url
        if url.startswith(self.origin + "/") or url == self.origin or url.startswith(("data:", "blob:", "about:")):
            route.continue_()
            return
        answer = self.fonts.answer(url)
        if answer is not None:
            body, kind = answer
            route.fulfill(status=200, body=body, content_type=kind, headers={"Access-Control-Allow-Origin": "*"})
            return
        if url not in self.blocked:
            self.blocked.append(url)
        route.abort("blockedbyclient")


def launch(playwright, chromium: str = CHROMIUM):
    return playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)


def new_context(browser, setup: Setup, offline: Offline):
    width, height = setup.viewport
    context = browser.new_context(
        viewport={"width": width, "height": height},
        device_scale_factor=setup.scale,
        locale=setup.locale,
        timezone_id=setup.timezone,
        color_scheme=setup.color_scheme,
        reduced_motion="reduce",
        service_workers="block",
    )
    context.clock.set_fixed_time(setup.now)
    context.route("**/*", offline.handle)
    return context


def host_of(url: str) -> str:
    return urlsplit(url).hostname or url
