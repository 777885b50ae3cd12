"""Mouse events for the benchmarks and tests: a click or a drag on a figure, sent from code."""
from matplotlib.backend_bases import MouseEvent


def mouse(app, ax, name, x, y):
    """The left button's ``name`` event ("button_press_event", ...) at the data point (x, y) of
    ``ax``, handled as a click or drag on the figure would be."""
    px, py = ax.transData.transform((x, y))
    app.fig.canvas.callbacks.process(name, MouseEvent(name, app.fig.canvas, px, py, button=1))


def drag(app, ax, x, y):
    """Press the button at (x, y) of ``ax``, or move there while a drag (``app.dragging``) goes on."""
    mouse(app, ax, "motion_notify_event" if app.dragging else "button_press_event", x, y)
