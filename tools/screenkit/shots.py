"""One entry of data/screens.yml, played in a page: act, wait, capture, crop.

Used by both tools: tools/render_screens.py (a stub back end) and tools/capture_screens.py (a
live cluster). ``ShotFailed`` carries a one-line reason; the caller names the shot.
"""

from __future__ import annotations

LOAD_STATES = ("load", "networkidle")
SETTLE_JS = """async () => {
  await document.fonts.ready;
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  return true;
}"""


SCROLL_JS = "(element) => element.scrollIntoView({block: 'start', inline: 'nearest'})"
# every box around the element back to its top, the document too
SCROLL_TOP_JS = """(element) => {
  for (let box = element; box; box = box.parentElement) box.scrollTop = 0;
  document.scrollingElement.scrollTop = 0;
}"""
# a click may scroll the frames around its target too (by a few pixels): back to the top,
# shadow roots included (the dashboard is built of web components)
UNSCROLL_PAGE_JS = """() => {
  const visit = (root) => {
    for (const element of root.querySelectorAll('*')) {
      if (element.scrollTop) element.scrollTop = 0;
      if (element.shadowRoot) visit(element.shadowRoot);
    }
  };
  visit(document);
  document.scrollingElement.scrollTop = 0;
}"""


class ShotFailed(Exception):
    """The shot could not be taken; the message says why in one line."""


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _visible(scope, selector: str, timeout: int, what: str) -> None:
    from playwright.sync_api import Error as PlaywrightError

    try:
        scope.locator(selector).first.wait_for(state="visible", timeout=timeout)
    except PlaywrightError as exc:
        raise ShotFailed(f"{what} {selector!r} did not appear within {timeout} ms ({first_line(exc)})") from None


def wait_ready(page, screen, timeout: int) -> None:
    """Wait for the screen's `wait_for` (a load state or a selector, in `frame` if given)."""
    if screen.wait_for in LOAD_STATES:
        page.wait_for_load_state(screen.wait_for, timeout=timeout)
        return
    scope = page.frame_locator(screen.frame).first if screen.frame else page
    where = f" in frame {screen.frame!r}" if screen.frame else ""
    _visible(scope, screen.wait_for, timeout, f"wait_for{where}")


def settle(page) -> None:
    """Wait for fonts and two frames in every frame of the page, the iframes' own documents too.

    Widgets that measure text when they change (e.g. the gap a Material outline leaves for its
    label) measure with whatever font has arrived: the actions and the capture wait for all of them.
    """
    from playwright.sync_api import Error as PlaywrightError

    for frame in page.frames:
        try:
            frame.evaluate(SETTLE_JS)
        except PlaywrightError:
            pass  # a frame that went away meanwhile has nothing left to settle


def perform(page, screen, timeout: int) -> None:
    """Play the screen's `actions` in order (in `frame` if given), once every frame has its fonts."""
    from playwright.sync_api import Error as PlaywrightError

    settle(page)
    scope = page.frame_locator(screen.frame).first if screen.frame else page
    for index, (verb, argument) in enumerate(screen.actions, 1):
        what = f"action {index} ({verb})"
        try:
            if verb == "wait_ms":
                page.wait_for_timeout(argument)
            elif verb == "advance_clock":
                # the clock stays frozen, at a later time: animations timed by Date.now() (e.g.
                # ECharts) see that time has passed and draw their last frame
                now = page.evaluate("() => Date.now()")
                page.context.clock.set_fixed_time((now + argument) / 1000)
            elif verb == "wait_for":
                _visible(scope, argument, timeout, what)
            elif verb == "press":
                page.keyboard.press(argument)
            elif verb == "fill":
                selector, text = argument
                _visible(scope, selector, timeout, what)
                scope.locator(selector).first.fill(text, timeout=timeout)
            elif verb == "scroll_to":
                _visible(scope, argument, timeout, what)
                scope.locator(argument).first.evaluate(SCROLL_JS)
            elif verb == "scroll_top":
                _visible(scope, argument, timeout, what)
                scope.locator(argument).first.evaluate(SCROLL_TOP_JS)
                if screen.frame:
                    page.evaluate(UNSCROLL_PAGE_JS)
            else:
                _visible(scope, argument, timeout, what)
                target = scope.locator(argument).first
                (target.click if verb == "click" else target.hover)(timeout=timeout)
        except PlaywrightError as exc:
            raise ShotFailed(f"{what} on {argument!r} failed: {first_line(exc)}") from None


def capture(page, screen) -> bytes:
    """Settle fonts and frames (in every frame), then the PNG bytes of the viewport, the full page or the clip."""
    settle(page)
    options = {"animations": "disabled", "caret": "hide", "type": "png"}
    if screen.clip is not None:
        x, y, width, height = screen.clip
        options["clip"] = {"x": x, "y": y, "width": width, "height": height}
    elif screen.full_page:
        options["full_page"] = True
    return page.screenshot(**options)
