"""Shared look of every figure in the course: one palette, one way to make a figure.

Colours (the same in every notebook):
    TRUTH  blue : the ground truth (the line that made the data, its parameters)
    MODEL  red  : the model, the current parameters, the student's point
    OPTIMIZER_COLORS : one fixed colour per optimizer
"""
import asyncio
import io
import os

import matplotlib.pyplot as plt
import numpy as np
from ipympl.backend_nbagg import Canvas, FigureManager
from ipywidgets import DOMWidget
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from course import png

TRUTH = "#1f77b4"
MODEL = "#d62728"
MINIMUM = "#ffffff"
NEUTRAL = "#555555"
GOOD = "#2ca02c"
WARN = "#ff7f0e"
LANDSCAPE_CMAP = "YlGn_r"
OPTIMIZER_COLORS = {
    "SGD": "#444444",
    "Momentum": "#ff7f0e",
    "Nesterov": "#bcbd22",
    "Adagrad": "#2ca02c",
    "RMSprop": "#9467bd",
    "Adam": "#e377c2",
}
STYLE = {
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.25,
    "legend.fontsize": 9,
    "legend.framealpha": 0.85,
}


class FastCanvas(Canvas):
    """ipympl's canvas widget, sending each frame as a quickly compressed PNG.

    The same frames as ipympl's (a full image, or a diff where unchanged pixels are 0), encoded
    by :mod:`course.png` (zlib level 1, no row filters) instead of Pillow at level 6: 5 to 20 ms
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


def new_figure(width=8.0, height=3.6, dpi=100, ncols=1, nrows=1, **subplot_kw):
    """A figure drawn by an ipympl canvas widget, and its axes.

    The figure is made under ``plt.ioff()`` and is not registered with pyplot, so it is shown
    only where an app places ``fig.canvas`` and is freed with the app. The course style is applied
    to this figure only; global rcParams are never changed.
    """
    with plt.ioff(), plt.rc_context(STYLE):
        fig = Figure(figsize=(width, height), dpi=dpi, layout="constrained")
        canvas = FastCanvas(fig)
        FigureManager(canvas, id(fig))
        axes = fig.subplots(nrows, ncols, squeeze=False, **subplot_kw)
    canvas.header_visible = False
    canvas.footer_visible = False
    canvas.toolbar_visible = False
    canvas.resizable = False
    canvas.capture_scroll = False
    # The size in CSS pixels, so a browser lays the canvas out at once (ipympl sets it on display
    # or on the browser's 'initialized'; apps place the canvas in a box, which does neither).
    canvas._size = (fig.bbox.width, fig.bbox.height)
    # ipympl re-encodes the whole image into a data URL on every frame until a browser says it
    # is there; the browser asks for a fresh frame when it connects, so that copy is not needed.
    canvas.syncing_data_url = False
    if os.environ.get("VOILA_PREHEAT") == "True":
        render_ahead(fig)
    axes = axes.ravel()
    return fig, (axes[0] if len(axes) == 1 else list(axes))


def show_still(fig):
    """Show ``fig`` as a plain PNG image, for a figure that nothing changes after its cell.

    An image comes with the page; a canvas widget (``fig.canvas``) waits for the kernel to send
    its first frame, and each one a dashboard waits for delays its start. The figure's canvas
    widget (:func:`new_figure` made one) is closed, so its model is not sent to the browser.
    """
    from IPython.display import Image, display

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    display(Image(buffer.getvalue()))
    if isinstance(fig.canvas, DOMWidget):
        fig.canvas.close()


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


def styled(ax):
    """Apply the course style to axes made outside :func:`new_figure`."""
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    ax.grid(True, alpha=STYLE["grid.alpha"])
    return ax


def grid(bounds, n=200):
    """Mesh of n x n points over 2-D bounds ((x0, x1), (y0, y1)): X, Y and P of shape (n, n, 2)."""
    (x0, x1), (y0, y1) = bounds
    X, Y = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
    return X, Y, np.stack([X, Y], axis=-1)


def contour_landscape(ax, landscape, n=200, levels=25, log=False, cmap=LANDSCAPE_CMAP,
                      bounds=None, show_minima=True):
    """Filled contours of a 2-D landscape's value over its bounds; returns the contour set.

    With ``log=True`` the levels are spaced evenly in log(value - min + 1), which shows deep
    narrow valleys such as Rosenbrock's.
    """
    bounds = landscape.bounds if bounds is None else bounds
    X, Y, P = grid(bounds, n)
    Z = landscape.value(P)
    if log:
        floor = landscape.min_value if landscape.min_value is not None else Z.min()
        Z = np.log10(Z - floor + 1.0)
    cs = ax.contourf(X, Y, Z, levels=levels, cmap=cmap, alpha=0.9, zorder=0)
    ax.contour(X, Y, Z, levels=levels, colors="k", linewidths=0.3, alpha=0.35, zorder=1)
    if show_minima:
        for m in landscape.minima:
            ax.plot(*m.point, marker="*" if m.kind == "global" else "x", ms=11 if m.kind == "global" else 7,
                    color=MINIMUM, mec="k", mew=0.8, ls="none", zorder=3)
    ax.set_xlim(*bounds[0])
    ax.set_ylim(*bounds[1])
    return cs


# ---------------------------------------------------------------- the house-price figures
# Lessons 1 and 2 (CostLandscape, GradientDescentLab) draw house prices in one fixed view,
# centred on the true line y = 3 x + 50, so that resampling moves the minimum, not the axes.
HOUSE_AREA = (0.0, 240.0)                    # floor area x (m²)
HOUSE_PRICE = (-100.0, 900.0)                # price y (thousands)
HOUSE_WB = ((-1.0, 7.0), (-450.0, 550.0))    # slope w (thousands per m²), intercept b (thousands)
HOUSE_LEVELS = 18                            # contour levels of the cost J(w, b)


def log_levels(landscape, bounds, n=80):
    """Grid (W, B) over ``bounds`` and the cost there as log10(J - J_min + 1), for even contours."""
    W, B, P = grid(bounds, n)
    return W, B, np.log10(landscape.value(P) - landscape.min_value + 1.0)
