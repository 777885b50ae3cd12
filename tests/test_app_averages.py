"""AverageLab without a browser: sliders set in Python, assertions on artists and on the text."""
import json

import numpy as np
import pytest

from course.apps.averages import FLOOR, STEPS, AverageLab
from course.averages import ewa, weights


@pytest.fixture
def app():
    a = AverageLab()
    a.fig.canvas.draw()
    return a


def send(control, state):
    """A widget state as a page sends it (the comm message ipywidgets handles)."""
    control._handle_msg({"content": {"data": {"method": "update", "state": state,
                                              "buffer_paths": []}}, "buffers": []})


def test_the_red_line_is_the_average_and_the_toggle_swaps_in_the_corrected_one(app):
    app.beta.value = 0.8
    np.testing.assert_allclose(app.average.get_ydata(), ewa(app.series, 0.8))
    np.testing.assert_allclose(app.other.get_ydata(), ewa(app.series, 0.8, corrected=True))
    app.corrected.value = True
    np.testing.assert_allclose(app.average.get_ydata(), ewa(app.series, 0.8, corrected=True))
    np.testing.assert_allclose(app.other.get_ydata(), ewa(app.series, 0.8))
    assert app.average.get_ydata()[0] == pytest.approx(app.series[0])    # V_1 / (1 - beta) = x_1
    assert app.output.outputs == ()


def test_the_bars_are_the_weights_of_each_value_at_step_t(app):
    app.beta.value = 0.9
    app.step.value = 20
    heights = app.bars.get_data().values
    assert heights.shape == (20,)
    np.testing.assert_allclose(heights[::-1], weights(0.9, 20))   # newest (s = t) weighs 1 - beta
    assert heights[-1] == pytest.approx(0.1)
    assert f"The bars add up to {1 - 0.9**20:.3f}</b> = 1 − β" in app.readout.value
    assert "add up to 0.878" in app.readout.value and "window 1/(1 − β) = 10 steps" in app.readout.value
    app.corrected.value = True
    np.testing.assert_allclose(app.bars.get_data().values.sum(), 1.0)
    assert "The bars add up to 1.000</b> (divided by 1 − β" in app.readout.value


def test_tiny_weights_sit_under_the_log_axis_instead_of_at_zero(app):
    app.beta.value = 0.0
    app.step.value = 50
    heights = app.bars.get_data().values
    assert heights[-1] == 1.0 and np.all(heights[:-1] == FLOOR)
    assert FLOOR < app.ax_w.get_ylim()[0]
    assert app.output.outputs == ()


@pytest.mark.parametrize("beta, t, left, width", [(0.9, 50, 40.5, 10.0), (0.9, 5, 0.5, 5.0),
                                                  (0.98, 200, 150.5, 50.0), (0.0, 7, 6.5, 1.0)])
def test_the_window_spans_the_last_one_over_one_minus_beta_steps(app, beta, t, left, width):
    app.beta.value = beta
    app.step.value = t
    for span in (app.span, app.span_w):
        assert span.get_x() == pytest.approx(left) and span.get_width() == pytest.approx(width)
    assert app.now.get_xdata()[0] == t and app.head.get_xdata()[0] == t


def test_the_text_alternative_says_what_the_figure_shows(app):
    app.beta.value = 0.9
    app.step.value = 20
    text = app.alt.value
    v = ewa(app.series, 0.9)[19]
    assert "t = 20" in text and "β = 0.90" in text and "1/(1 − β) = 10 steps" in text
    assert "The newest value weighs 0.1, each older one β = 0.90 times the weight" in text
    assert "The weights add up to 1 − β^t = 0.878, not 1" in text
    assert f"V_20 = {v:.2f}" in text
    assert f"would give {v / (1 - 0.9**20):.2f}" in text
    app.corrected.value = True
    assert "add up to 1 and the corrected average is" in app.alt.value
    app.corrected.value = False
    app.step.value = 200
    assert "the bias has faded" in app.alt.value


def test_a_change_is_blitted_not_replotted(app):
    idle = []
    app.fig.canvas.draw_idle = lambda *a, **k: idle.append(1)
    lines = list(app.ax.lines)
    for control, value in ((app.beta, 0.5), (app.step, 120), (app.corrected, True)):
        control.value = value
    assert idle == [] and list(app.ax.lines) == lines   # the same artists, moved in place
    assert app.output.outputs == ()


def test_it_fits_900_pixels_and_its_controls_wrap(app):
    width, _ = app.fig.get_size_inches()
    assert width * app.fig.dpi <= 900
    row = app.widget.children[1]
    assert app.widget.children[2] is app.readout
    assert app.widget.children[4] is app.alt          # the caption, right under the figure
    assert row.layout.flex_flow == "row wrap"
    assert all(c.description for c in row.children)     # every control has a visible label


def test_values_from_the_page_are_clamped_or_refused(app):
    send(app.beta, {"value": 5.0})
    assert app.beta.value == 0.99 and app.values["beta"] == 0.99
    send(app.step, {"value": 10**9})
    assert app.step.value == STEPS and app.values["t"] == STEPS
    send(app.beta, {"max": 1.0, "value": 1.0})
    assert app.beta.max == 0.99 and app.values["beta"] <= 0.99
    send(app.step, {"value": "abc"})
    assert app.values["t"] == STEPS and app.last_error is None
    json.dumps(app.values)          # plain numbers: nothing NaN crept in
    assert all(np.isfinite(v) for v in app.values.values())
