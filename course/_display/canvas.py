"""The figures' canvas: ipympl's widget with quicker frames, or ipympl's own when it cannot be.

:class:`FastCanvas` relies on private attributes of ipympl's ``Canvas`` and of matplotlib's
WebAgg and Agg canvases (``PRIVATE``). :func:`fast_canvas_works` checks them once on a small
canvas; when one is missing, :func:`new_canvas` gives ipympl's stock canvas instead: the same
figure, drawn and sent by ipympl, slower.
"""
import asyncio
import functools

import numpy as np
from ipympl.backend_nbagg import Canvas, FigureManager
from ipywidgets import DOMWidget
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from course._display import png

# what FastCanvas reads or sets on a canvas besides public methods (and DOMWidget's
# _repr_mimebundle_, which it calls to skip ipympl's embedded PNG)
PRIVATE = ("_handle_message", "_lastKey", "_force_full", "_png_is_old", "_last_buff",
           "_capture_scroll", "_size")


class FastCanvas(Canvas):
    """ipympl's canvas widget, sending each frame as a quickly compressed PNG.

    The same frames as ipympl's (a full image, or a diff where unchanged pixels are 0), encoded
    by :mod:`.png` (zlib level 1, no row filters) instead of Pillow at level 6: 5 to 20 ms
    less per frame, for a few kB more per frame.

    A browser that connects asks for a whole frame ('refresh'). When nothing changed since the
    last render (the figure is not stale and its pixels are still in the Agg buffer), the canvas
    sends those pixels at once, instead of asking the browser to ask for a draw and rendering
    the whole figure again. Under Voila the figure is rendered ahead, while the kernel waits for
    its visitor (:func:`render_ahead`), so a dashboard's first frame costs one PNG encode.

    A browser starts each figure with 'refresh', 'send_image_mode', 'initialized'; the kernel
    answers 'initialized' with a 'resize', and the browser answers every 'resize' with another
    'refresh'. Only a refresh that answers a resize is served (ipympl serves both: two frames
    for one figure at load); a browser that starts again (a page reload) is served the same way.
    When the pixels are current at 'initialized', they go right behind the resize, one round trip
    sooner, and the refresh that answers that resize finds nothing left to do.

    Displaying the canvas shows the widget (and a plain-text fallback) without rendering the
    figure into an embedded PNG, which ipympl does for a static fallback that notebooks stored
    without outputs never keep.
    """

    _resize_unanswered = False  # a 'resize' was sent and no 'refresh' has answered it yet

    def _repr_mimebundle_(self, **kwargs):
        return DOMWidget._repr_mimebundle_(self, **kwargs)

    def send_json(self, content):
        if content["type"] == "resize":
            self._resize_unanswered = True
        super().send_json(content)

    def _handle_message(self, object, content, buffers):
        super()._handle_message(object, content, buffers)
        if content["type"] == "initialized" and self._pixels_are_current():
            self.handle_refresh(content)

    def _pixels_are_current(self):
        """True when the Agg buffer holds the figure as it is now, at the current size and dpi."""
        return (getattr(self, "renderer", None) is not None and not self.figure.stale
                and self._lastKey == (*self.get_width_height(physical=True), self.figure.dpi))

    def handle_refresh(self, event):
        if not self._resize_unanswered:  # a browser starting up: its 'initialized' follows
            return
        self._resize_unanswered = False
        if not self._pixels_are_current():
            super().handle_refresh(event)
            return
        self.send_event("figure_label", label=self.manager.get_window_title())
        self.send_event("capture_scroll", capture_scroll=self._capture_scroll)
        self.send_current_pixels()

    def send_current_pixels(self):
        """Send the Agg buffer as a whole frame when it holds the figure as it is now (no new
        render); return whether it did."""
        if not self._pixels_are_current():
            return False
        self._force_full = True
        self._png_is_old = True
        self.manager.refresh_all()
        return True

    def get_diff_image(self):
        if not self._png_is_old:
            return None
        pixels = np.asarray(self.get_renderer().buffer_rgba())
        buff = pixels.view(np.uint32).squeeze(2)
        full = (self._force_full or buff.shape != self._last_buff.shape
                or (pixels[:, :, 3] != 255).any())
        self.set_image_mode("full" if full else "diff")
        output = buff if full else np.where(buff != self._last_buff, buff, 0)
        self._last_buff = buff.copy()
        self._force_full = False
        self._png_is_old = False
        return png.encode_rgba(output.view(np.uint8).reshape(*output.shape, 4))


@functools.cache
def fast_canvas_works():
    """Whether ipympl's and matplotlib's private attributes that :class:`FastCanvas` relies on
    (``PRIVATE``) are there and mean what it expects (checked once, on a small canvas)."""
    canvas = Canvas(Figure(figsize=(1, 1), dpi=10))
    try:
        canvas.get_renderer()
        present = all(hasattr(canvas, name) for name in PRIVATE)
        return (present and callable(canvas._handle_message)
                and callable(getattr(DOMWidget, "_repr_mimebundle_", None))
                and canvas._lastKey == (*canvas.get_width_height(physical=True), 10)
                and isinstance(canvas._last_buff, np.ndarray) and len(canvas._size) == 2)
    except Exception:   # a changed internal: use the stock canvas
        return False
    finally:
        canvas.close()


def new_canvas(fig):
    """A canvas widget for ``fig`` with its manager: a :class:`FastCanvas` when
    :func:`fast_canvas_works`, else ipympl's stock ``Canvas``."""
    fast = fast_canvas_works()
    canvas = (FastCanvas if fast else Canvas)(fig)
    FigureManager(canvas, id(fig))
    if fast:
        # The size in CSS pixels, so a browser lays the canvas out at once (ipympl sets it on
        # display or on the browser's 'initialized'; apps place the canvas in a box, which does
        # neither).
        canvas._size = (fig.bbox.width, fig.bbox.height)
    return canvas


def full_frame(canvas, draw):
    """Send the figure as a whole frame instead of a diff: the pixels already rendered, else
    ``draw()`` after asking for a whole frame (ipympl's 'refresh' on the stock canvas)."""
    if not isinstance(canvas, FastCanvas):
        canvas.handle_refresh(None)
    elif not canvas.send_current_pixels():     # changed since the last render: draw it whole
        canvas._force_full = True
        draw()


def skip_pick_search(fig):
    """No artist of an app is pickable: disconnect matplotlib's search for one on every click
    (its private ``Figure._button_pick_id``; without it the search stays, which costs little)."""
    cid = getattr(fig, "_button_pick_id", None)
    if isinstance(cid, int):
        fig.canvas.mpl_disconnect(cid)


def render_ahead(fig):
    """Render ``fig`` into its Agg buffer once the running cell is done, if it is still stale.

    Voila's preheated kernels (voila.json) run the notebook before anyone visits; rendering
    then means the visitor's browser gets its first frame without waiting for a render
    (:class:`FastCanvas`). Nothing is sent: no browser is connected yet. Without a running event
    loop (plain Python, tests) this does nothing.
    """
    loop = kernel_loop()
    if loop is None:
        return

    def render():
        if fig.stale:
            FigureCanvasAgg.draw(fig.canvas)

    loop.call_soon(render)


def kernel_loop():
    """The running event loop (a kernel's, where callbacks can be scheduled), or None outside one."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
