"""FastCanvas: a connecting browser gets the pixels already rendered, never stale ones."""
import asyncio
import io
import json

import numpy as np
import pytest
from PIL import Image

from course import plots
from course._display import canvas as display


def _recorder(fig):
    """Every message the canvas sends to a browser, as (json content, buffers)."""
    sent = []
    fig.canvas.send = lambda content, buffers=None: sent.append((json.loads(content["data"]), buffers))
    return sent


def _draws(fig):
    count = []
    fig.canvas.mpl_connect("draw_event", lambda _e: count.append(1))
    return count


def _frames(sent):
    return [np.asarray(Image.open(io.BytesIO(bytes(b[0])))) for c, b in sent if c["type"] == "binary"]


def _events(sent):
    return [c["type"] for c, _ in sent]


def _browser_says(fig, *types):
    """Messages from a browser, as ipympl's front end sends them."""
    for kind in types:
        fig.canvas._handle_message(fig.canvas, {"type": kind}, [])


def _browser_starts(fig):
    """A browser's start-up: its first messages, then its answer to the kernel's 'resize'."""
    _browser_says(fig, "refresh", "send_image_mode", "initialized")
    _browser_says(fig, "refresh")


def _figure():
    fig, ax = plots.new_figure(4, 3)
    ax.plot([0, 1, 2], [2, 0, 1])
    return fig, ax


def test_refresh_before_any_render_asks_the_browser_for_a_draw():
    fig, _ = _figure()
    sent = _recorder(fig)
    _browser_starts(fig)
    assert "draw" in _events(sent) and not _frames(sent)


def test_refresh_after_a_render_sends_those_pixels_as_a_full_frame_without_rendering():
    fig, _ = _figure()
    fig.canvas.draw()
    draws, sent = _draws(fig), _recorder(fig)
    _browser_starts(fig)
    frames = _frames(sent)
    assert not draws and "draw" not in _events(sent)
    assert len(frames) == 1 and fig.canvas._current_image_mode == "full"
    np.testing.assert_array_equal(frames[0], np.asarray(fig.canvas.buffer_rgba()))


def test_refresh_after_a_change_renders_again():
    fig, ax = _figure()
    fig.canvas.draw()
    ax.set_title("changed")
    sent = _recorder(fig)
    _browser_starts(fig)
    assert "draw" in _events(sent) and not _frames(sent)


def test_refresh_after_a_resize_renders_again():
    fig, _ = _figure()
    fig.canvas.draw()
    sent = _recorder(fig)
    fig.canvas.handle_resize({"width": 300, "height": 200})
    sent.clear()
    _browser_starts(fig)
    assert "draw" in _events(sent) and not _frames(sent)


def test_refresh_after_a_blit_sends_the_blitted_pixels():
    fig, ax = _figure()
    (dot,) = ax.plot([1], [1], "o", animated=True)
    fig.canvas.draw()
    background = fig.canvas.copy_from_bbox(fig.bbox)
    dot.set_data([2], [0])
    fig.canvas.restore_region(background)
    fig.draw_artist(dot)
    fig.canvas.blit(fig.bbox)
    blitted = np.asarray(fig.canvas.buffer_rgba()).copy()
    sent = _recorder(fig)
    _browser_starts(fig)
    (frame,) = _frames(sent)
    np.testing.assert_array_equal(frame, blitted)


def test_render_ahead_renders_once_after_the_running_code_and_sends_nothing():
    fig, _ = _figure()
    draws, sent = _draws(fig), _recorder(fig)

    async def main():
        display.render_ahead(fig)
        assert not draws  # not before the running code is done
        await asyncio.sleep(0)

    asyncio.run(main())
    assert len(draws) == 1 and not fig.stale and not sent
    assert fig.canvas._pixels_are_current()


def test_render_ahead_without_an_event_loop_does_nothing():
    fig, _ = _figure()
    display.render_ahead(fig)
    assert fig.stale and not fig.canvas._pixels_are_current()


def test_a_refresh_before_initialized_neither_renders_nor_sends():
    fig, _ = _figure()
    draws, sent = _draws(fig), _recorder(fig)
    _browser_says(fig, "refresh", "send_image_mode")
    assert not draws and not _frames(sent) and "draw" not in _events(sent)
    fig.canvas.draw()
    draws.clear(), sent.clear()
    _browser_says(fig, "refresh")
    assert not draws and not _frames(sent)


def test_a_browser_start_up_gets_the_rendered_figure_right_behind_the_resize_and_only_once():
    fig, _ = _figure()
    fig.canvas.draw()
    draws, sent = _draws(fig), _recorder(fig)
    _browser_says(fig, "refresh", "send_image_mode", "initialized")
    events = _events(sent)
    assert "resize" in events and events.index("resize") < events.index("binary") and len(_frames(sent)) == 1
    _browser_says(fig, "refresh")  # the browser's answer to the resize
    assert len(_frames(sent)) == 1 and not draws


def test_a_browser_start_up_of_a_stale_figure_asks_for_one_draw():
    fig, _ = _figure()
    sent = _recorder(fig)
    _browser_starts(fig)
    assert _events(sent).count("draw") == 1


def test_a_browser_that_starts_again_gets_one_frame_again():
    fig, _ = _figure()
    fig.canvas.draw()
    _browser_starts(fig)
    sent = _recorder(fig)
    _browser_starts(fig)  # a page reload: the same model, a new front end
    assert len(_frames(sent)) == 1


def test_displaying_the_canvas_shows_the_widget_without_rendering_an_image():
    fig, _ = _figure()
    draws = _draws(fig)
    bundle = fig.canvas._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == fig.canvas.model_id
    assert set(bundle) == {"text/plain", "application/vnd.jupyter.widget-view+json"}
    assert not draws and fig.canvas._data_url is None


def test_the_canvas_state_has_the_figure_size_in_css_pixels():
    fig, _ = plots.new_figure(4, 3, dpi=100)
    assert tuple(fig.canvas.get_state()["_size"]) == (400, 300)


def test_show_still_displays_the_figure_as_one_png_image_with_a_text_alternative(monkeypatch):
    import base64
    import html
    import re

    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, raw=False: shown.append((obj, raw)))
    fig, ax = plots.new_figure(4.0, 2.0)
    ax.plot([0, 1], [0, 1], label=r"step $\eta = 0.1$")
    ax.set(title="Cost", xlabel="step", ylabel="cost")
    ax.legend()
    plots.show_still(fig)
    ((bundle, raw),) = shown
    assert raw and set(bundle) == {"text/html", "text/plain"}
    # the page shows the PNG in an <img> whose alt names what the figure shows
    tag = re.fullmatch(r'<img src="data:image/png;base64,([^"]+)" alt="([^"]*)">', bundle["text/html"])
    assert tag and Image.open(io.BytesIO(base64.b64decode(tag.group(1)))).size == (400, 200)
    assert html.unescape(tag.group(2)) == bundle["text/plain"] == "Figure: Cost, cost against step, showing step η = 0.1."
    fig2, _ = plots.new_figure(4.0, 2.0)
    plots.show_still(fig2, alt='Two "curves" & a dot')
    assert 'alt="Two &quot;curves&quot; &amp; a dot"' in shown[-1][0]["text/html"]
    assert fig.canvas.comm is None          # the canvas widget is closed: no model for the page


@pytest.mark.parametrize("tex, words", [
    (r"learning rate $\eta$ (log scale)", "learning rate η (log scale)"),
    (r"lowest at $\eta \approx 0.12$", "lowest at η ≈ 0.12"),
    (r"$\Delta w$ per step, $10^{-3}$", "Δ w per step, 10^-3"),
    ("no mathematics", "no mathematics"),
])
def test_mathtext_is_read_as_plain_text(tex, words):
    assert plots.plain_text(tex) == words


def test_a_figure_is_described_panel_by_panel():
    fig, (left, right) = plots.new_figure(6.0, 2.0, ncols=2)
    fig.suptitle("Two views")
    left.set(title="Path", xlabel="$w$", ylabel="$b$")
    right.plot([0, 1], [1, 0], label="Adam")
    right.plot([0, 1], [1, 0.5], label="SGD")
    right.legend()
    assert plots.describe(fig) == "Figure: Two views. Path, b against w. showing Adam; SGD."
    assert plots.describe(plots.new_figure()[0]) == "Figure."
