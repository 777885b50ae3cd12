"""For the apps' pixel tests: the pixels of a layered (blitted) update against a plain draw."""
import numpy as np


def layered_pixels(app):
    """The figure as ``refresh(slow=True)`` leaves it, without the moving artists (they are
    blitted over everything last), as a copy of the Agg buffer."""
    for artist in app._animated:
        artist.set_visible(False)
    app.refresh(slow=True)
    return np.asarray(app.fig.canvas.get_renderer().buffer_rgba()).copy()


def plain_draw(app):
    """The reference: one plain draw of everything, nothing layered or blitted."""
    for artist in app._slow + app._animated:
        artist.set_animated(False)
    app._slow, app._animated = [], []
    app.fig.canvas.draw()
    return np.asarray(app.fig.canvas.get_renderer().buffer_rgba())
