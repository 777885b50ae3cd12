"""Key: the legend of plain artists, its rows and its cached inside."""
import numpy as np

from course import plots
from course.apps.key import INNER, ROW, Key


def _key():
    fig, ax = plots.new_figure(4.0, 3.0)
    key = Key(ax, ["one", "two", "three"], {"one": "r", "two": "g", "three": "b"})
    for artist in key.artists:            # left out of a full draw, as in an app's slow layer
        artist.set_animated(True)
    fig.canvas.draw()
    return fig, key


def test_rows_top_to_bottom_in_the_order_shown():
    _, key = _key()
    assert not any(a.get_visible() for a in key.artists)
    key.show(["three", "one"])
    assert key.frame.get_height() == 2 * INNER + 2 * ROW
    assert key.lines["three"].get_ydata()[0] > key.lines["one"].get_ydata()[0]
    assert not key.lines["two"].get_visible() and not key.names["two"].get_visible()
    assert key.names["one"].get_position()[0] > key.lines["one"].get_xdata()[1]
    key.show([])
    assert not any(a.get_visible() for a in key.artists)


def test_the_cached_inside_gives_the_pixels_it_was_drawn_with():
    fig, key = _key()
    renderer = fig.canvas.get_renderer()
    key.show(["one", "two"])
    key.draw(renderer)
    drawn = np.asarray(renderer.buffer_rgba()).copy()
    assert list(key.cache) == [("one", "two")]
    for text in key.names.values():       # not drawn again: they come from the cache
        text.set_visible(False)
    fig.canvas.draw()
    key.draw(renderer)
    np.testing.assert_array_equal(np.asarray(renderer.buffer_rgba()), drawn)
