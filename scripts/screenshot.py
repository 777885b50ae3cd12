"""Screenshot a notebook rendered as a Voila dashboard, as a reader's browser shows it.

    python scripts/screenshot.py notebooks/03-learning-rate.ipynb docs/03.png
    python scripts/screenshot.py notebooks/06-optimizers.ipynb out.png --selector ".widget-vbox" --index 1
    python scripts/screenshot.py notebooks/00-start-here.ipynb out.png --url http://127.0.0.1:8866
    python scripts/screenshot.py notebooks/06-optimizers.ipynb docs/06-race.png \
        --selector '.widget-vbox:has-text("tune first")' --wait-ms 20000 \
        --click '.widget-checkbox:has-text("tune first") input' --click '.widget-play button >> nth=0'

Starts Voila on a free loopback port (or uses the running one given by --url), opens the page in
headless system Chromium, waits until the widgets and figures are drawn, then saves the full page
or the whole element matching --selector, even one taller than the window (after clicking, in
order, the first visible element matching each --click selector, when given: a checkbox, the
Play button). Prints the page's errors, if any, and exits 1 on errors.
"""
import argparse
import contextlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import browser  # noqa: E402  (tests/browser.py: shared Voila + Chromium helpers)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", type=Path, help="a notebook under notebooks/")
    parser.add_argument("out", type=Path, help="the PNG to write")
    parser.add_argument("--selector", help="CSS selector of the element to capture (default: full page)")
    parser.add_argument("--index", type=int, default=0, help="which match of --selector (default 0: the first)")
    parser.add_argument("--width", type=int, default=1280, help="viewport width in CSS pixels")
    parser.add_argument("--height", type=int, default=900, help="viewport height (stretched to the content for the capture)")
    parser.add_argument("--wait-ms", type=int, default=500, help="extra wait after widgets are drawn")
    parser.add_argument("--click", action="append", default=[], metavar="SELECTOR",
                        help="click the first visible element matching this Playwright selector "
                             "before the capture (repeatable, in order)")
    parser.add_argument("--url", help="base URL of a running Voila serving notebooks/ (default: start one)")
    parser.add_argument("--timeout", type=int, default=120, help="seconds allowed for the page to render")
    args = parser.parse_args(argv)

    notebook = args.notebook.resolve()
    if not notebook.exists():
        parser.error(f"no such notebook: {args.notebook}")
    from playwright.sync_api import sync_playwright

    with contextlib.ExitStack() as stack:
        if args.url:
            base = args.url.rstrip("/")
            url = f"{base}/voila/render/{notebook.relative_to(browser.NOTEBOOK_DIR).as_posix()}"
        else:
            url = stack.enter_context(browser.Voila(timeout=args.timeout)).url(notebook)
        playwright = stack.enter_context(sync_playwright())
        chrome = browser.launch(playwright)
        stack.callback(chrome.close)
        page = browser.Page(chrome, width=args.width, height=args.height)
        seconds = page.open(url, timeout=args.timeout * 1000)
        for click in args.click:
            page.page.locator(click).locator("visible=true").first.click()
        page.page.wait_for_timeout(args.wait_ms)
        selector = args.selector
        if selector and args.index:
            selector = f"{selector} >> nth={args.index}"
        out = page.screenshot(args.out, selector=selector)
        problems = page.errors + [f"page text: {t}" for t in page.error_texts()]
        print(f"{out}: rendered in {seconds:.1f} s, {page.figures()} figure(s), {page.sliders()} slider(s)")
        for problem in problems:
            print("ERROR", problem, file=sys.stderr)
        return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
