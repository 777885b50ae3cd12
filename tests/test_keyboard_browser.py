"""In a real dashboard, the keyboard alone moves what the mouse drags, and the caption under the
figure (its text alternative) says where it went."""
import pytest

import browser

pytestmark = pytest.mark.browser


def test_the_keyboard_moves_the_point_and_the_caption_follows(voila, chrome):
    voila.wait_idle(quiet=1.0)
    page = browser.Page(chrome)
    try:
        page.open(voila.url(browser.NOTEBOOK_DIR / "01-cost-functions.ipynb"))
        app = page.page.locator('.widget-vbox:has(.course-alt):has(input[type=number])').last
        caption = app.locator(".course-alt").last
        assert "w = 1.00, b = 300" in caption.inner_text()
        w_field = app.locator('.widget-inline-hbox:has-text("slope w") input').first
        w_field.focus()
        page.page.keyboard.press("Control+A")
        page.page.keyboard.type("2.5")
        page.page.keyboard.press("Enter")
        app.locator(".course-alt", has_text="w = 2.50, b = 300").wait_for(timeout=60_000)
        page.page.keyboard.press("Tab")                   # the next field: the intercept
        focused = page.page.evaluate(
            "document.activeElement.closest('.widget-inline-hbox').textContent")
        assert "intercept b" in focused
        page.page.keyboard.press("Control+A")
        page.page.keyboard.type("100")
        page.page.keyboard.press("Enter")
        app.locator(".course-alt", has_text="w = 2.50, b = 100").wait_for(timeout=60_000)
        assert caption.is_visible()
        assert not page.error_texts(), page.report()
        assert not page.errors, "browser errors:\n" + "\n".join(page.errors)
    finally:
        page.close()


def test_tab_leaves_the_figure_and_the_figure_is_described_by_its_caption(voila, chrome):
    """ipympl's figure takes every key; the course template lets Tab move on (WCAG 2.1.2) and
    points the figure at its caption (aria-describedby)."""
    voila.wait_idle(quiet=1.0)
    page = browser.Page(chrome)
    try:
        page.open(voila.url(browser.NOTEBOOK_DIR / "01-cost-functions.ipynb"))
        figure = page.page.locator(".jupyter-matplotlib-canvas-div").last
        caption = figure.evaluate("c => c.closest('.jupyter-matplotlib').nextElementSibling.id")
        assert caption and figure.get_attribute("aria-describedby") == caption
        figure.focus()
        page.page.keyboard.press("Tab")
        after = page.page.evaluate("document.activeElement.className")
        assert "jupyter-matplotlib-canvas-div" not in after, "Tab stayed on the figure"
        page.page.keyboard.press("Shift+Tab")
        back = page.page.evaluate("document.activeElement.className")
        assert "jupyter-matplotlib-canvas-div" in back, "Shift+Tab comes back to the figure"
    finally:
        page.close()
