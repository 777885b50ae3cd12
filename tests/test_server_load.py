"""Several visitors at once on the course's dashboard server: every page arrives whole, and
every visitor's kernel is freed when the page closes (``make bench`` runs the 30-page version).
"""
import pytest

import browser
from test_dashboards import _unavailable

pytestmark = pytest.mark.browser
PAGES = 6
BACK_WITHIN_S = 60.0


def test_six_visitors_at_once_get_their_apps_and_leave_no_kernel_behind():
    if browser.chromium() is None:
        _unavailable("no 'chromium' on PATH: dashboard tests need Debian's chromium (apt-get install chromium)")
    pytest.importorskip("playwright", reason="Python Playwright is not installed (pip install -e '.[test]')")
    notebooks = browser.notebooks()
    with browser.Voila() as voila:
        voila.wait_idle()            # the preheated pool is full, as before a lesson
        pool = browser.pool_size(notebooks)
        result = browser.visit_together(voila, notebooks, PAGES, after=BACK_WITHIN_S, until_kernels=pool)
        log = voila.output()
    broken = [v for v in result["visits"] if v["errors"] or v["seconds"] is None]
    assert not broken, f"pages with errors or without their widgets: {broken}\nserver log:\n{log}"
    peak = max(n for _, n, _ in result["during"])
    assert peak > pool, f"the visits never showed in the kernel count ({peak} <= pool {pool})"
    left = [n for _, n, _ in result["after"]]
    assert left and left[-1] <= pool, (
        f"{left[-1]} kernels {BACK_WITHIN_S:.0f} s after the pages closed; the pool holds {pool} "
        f"(samples after closing: {left})\nserver log:\n{log}")
