"""Several visitors at once on the course's dashboard server: every page arrives whole, and
the kernels are back to the pool's size within 60 s of the pages closing (each visitor's kernel
freed by its page's shutdown request, or by the server 30 s after the page's websocket closed;
``make bench`` runs the 30-page version).
"""
import pytest

import browser

pytestmark = pytest.mark.browser
PAGES = 6
BACK_WITHIN_S = 60.0


def test_six_visitors_at_once_get_their_apps_and_leave_no_kernel_behind():
    if browser.chromium() is None:
        browser.unavailable("no 'chromium' on PATH: dashboard tests need Debian's chromium (apt-get install chromium)")
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


def test_a_page_whose_cell_failed_tells_the_visitor_to_reload(tmp_path):
    # What a visitor sees when a lesson's cell failed or timed out on a busy server.
    if browser.chromium() is None:
        browser.unavailable("no 'chromium' on PATH: dashboard tests need Debian's chromium (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Python Playwright is not installed")
    import json

    cell = {"cell_type": "code", "execution_count": None, "id": "a", "metadata": {}, "outputs": [],
            "source": ["raise RuntimeError('a cell that fails')"]}
    notebook = {"cells": [cell], "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                                             "name": "python3"}}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "broken.ipynb").write_text(json.dumps(notebook))
    with browser.Voila(root=tmp_path, args=["--VoilaConfiguration.preheat_kernel=False"]) as voila, \
            sync_api.sync_playwright() as playwright:
        chromium = browser.launch(playwright)
        try:
            page = chromium.new_page()
            page.goto(voila.url("broken.ipynb"))
            note = page.wait_for_selector("#course-reload", timeout=30_000)
            assert "Please reload the page" in note.inner_text()
            assert note.get_attribute("role") == "alert"
        finally:
            chromium.close()
