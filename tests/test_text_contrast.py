"""Every coloured text an app writes (its read-outs, tables and messages) is readable on the page's
white: a contrast of at least 4.5 to 1 (WCAG 2.1 AA, criterion 1.4.3), in every state that the
app's benchmark cases reach. The axe-core scan of the dashboards (test_accessibility.py) sees only
the states a page shows when it is scanned; this sees every colour an update can write."""
import importlib
import re

import ipywidgets as widgets
import pytest

from course import plots
from test_app_bench_cases import MODULES

# an element with a text colour in its inline style, and what it holds
COLOURED = re.compile(r"""<(\w+)\s[^>]*?style=["'][^"']*?(?<![\w-])color\s*:\s*(#[0-9a-fA-F]{6})[^>]*>(.*?)</\1>""", re.S)
# a colour key (a square of a line's colour before its name) is a graphic, not text: it must match
# its line, and it is held to WCAG's 3:1 for graphics (the palette's own test), not to 4.5:1
SWATCHES = {"&#9632;", "\u25a0"}
AA_TEXT = 4.5


def contrast_on_white(hex_colour):
    """WCAG 2.1's contrast ratio of ``hex_colour`` against white (1 to 21)."""
    c = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    c = [x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
    return 1.05 / (0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2] + 0.05)


def text_colours(widget):
    """Every colour of the inline styles in the HTML of ``widget`` and the widgets it holds."""
    found = set()
    if isinstance(widget, (widgets.HTML, widgets.HTMLMath, widgets.Label)):
        found.update(colour for _, colour, text in COLOURED.findall(widget.value) if text.strip() not in SWATCHES)
    for child in getattr(widget, "children", ()):
        found |= text_colours(child)
    return found


@pytest.mark.parametrize("name", MODULES)
def test_every_coloured_text_of_an_app_is_readable_on_white(name):
    module = importlib.import_module(f"course.apps.{name}")
    for label, factory, updates in module.bench_cases():
        app = factory()
        seen = text_colours(app.widget)
        for update in updates[:20]:
            update(app)
            seen |= text_colours(app.widget)
        faint = {c: round(contrast_on_white(c), 2) for c in seen if contrast_on_white(c) < AA_TEXT}
        assert not faint, f"{name} ({label}): text colours under {AA_TEXT}:1 on white: {faint}"


@pytest.mark.parametrize("colour", sorted({plots.MODEL, plots.NEUTRAL, plots.GOOD, plots.WARN, plots.TRUTH,
                                           *plots.OPTIMIZER_COLORS.values(), "#ffffff", "#000000"}))
def test_text_color_reaches_the_aa_contrast_and_keeps_the_hue(colour):
    import colorsys

    text = plots.text_color(colour)
    assert contrast_on_white(text) >= AA_TEXT
    if contrast_on_white(colour) >= AA_TEXT:
        assert text == colour                       # dark enough already: unchanged
    else:
        assert contrast_on_white(text) < AA_TEXT + 0.6    # darkened no more than needed
        hue = lambda c: colorsys.rgb_to_hsv(*(int(c[i:i + 2], 16) / 255 for i in (1, 3, 5)))[0]  # noqa: E731
        assert hue(text) == pytest.approx(hue(colour), abs=0.01)
