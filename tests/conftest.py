"""Fixtures shared by the browser tests: one headless Chromium and one dashboard server per module.

Every test process runs as a lesson's kernel does: ``course._display`` sets it up (one BLAS
thread, numpy's memory settings), so a result does not depend on whether a test that
imported an app ran earlier in the same process.
"""
import pytest

import browser
import course._display  # noqa: F401


@pytest.fixture(scope="module")
def chrome():
    """Debian's Chromium driven by Playwright (skips without it, except under CI=true)."""
    if browser.chromium() is None:
        browser.unavailable("no 'chromium' on PATH: dashboard tests need Debian's chromium "
                            "(apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        browser.unavailable("Python Playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        chromium = browser.launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def voila(chrome):
    # the kernels inherit this: a numpy RuntimeWarning in a callback becomes a traceback on the page
    with browser.Voila(timeout=120, env={"PYTHONWARNINGS": "error::RuntimeWarning"}) as server:
        yield server
