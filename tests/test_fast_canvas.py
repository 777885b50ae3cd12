"""FastCanvas: a connecting browser gets the pixels already rendered, never stale ones."""
import asyncio
import io
import json

import numpy as np
from PIL import Image

from course import plots


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


def _figure():
    fig, ax = plots.new_figure(4, 3)
    ax.plot([0, 1, 2], [2, 0, 1])
    return fig, ax


def test_refresh_before_any_render_asks_the_browser_for_a_draw():
    fig, _ = _figure()
    sent = _recorder(fig)
    fig.canvas.handle_refresh({})
    assert "draw" in _events(sent) and not _frames(sent)


def test_refresh_after_a_render_sends_those_pixels_as_a_full_frame_without_rendering():
    fig, _ = _figure()
    fig.canvas.draw()
    draws, sent = _draws(fig), _recorder(fig)
    fig.canvas.handle_refresh({})
    frames = _frames(sent)
    assert not draws and "draw" not in _events(sent)
    assert len(frames) == 1 and fig.canvas._current_image_mode == "full"
    np.testing.assert_array_equal(frames[0], np.asarray(fig.canvas.buffer_rgba()))


def test_refresh_after_a_change_renders_again():
    fig, ax = _figure()
    fig.canvas.draw()
    ax.set_title("changed")
    sent = _recorder(fig)
    fig.canvas.handle_refresh({})
    assert "draw" in _events(sent) and not _frames(sent)


def test_refresh_after_a_resize_renders_again():
    fig, _ = _figure()
    fig.canvas.draw()
    sent = _recorder(fig)
    fig.canvas.handle_resize({"width": 300, "height": 200})
    sent.clear()
    fig.canvas.handle_refresh({})
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
    fig.canvas.handle_refresh({})
    (frame,) = _frames(sent)
    np.testing.assert_array_equal(frame, blitted)


def test_render_ahead_renders_once_after_the_running_code_and_sends_nothing():
    fig, _ = _figure()
    draws, sent = _draws(fig), _recorder(fig)

    async def main():
        plots.render_ahead(fig)
        assert not draws  # not before the running code is done
        await asyncio.sleep(0)

    asyncio.run(main())
    assert len(draws) == 1 and not fig.stale and not sent
    assert fig.canvas._pixels_are_current()


def test_render_ahead_without_an_event_loop_does_nothing():
    fig, _ = _figure()
    plots.render_ahead(fig)
    assert fig.stale and not fig.canvas._pixels_are_current()
