"""What every app shares: one figure, its controls, errors shown instead of lost, fast redraws.

An app subclasses :class:`App`, builds its widgets and artists in ``__init__``, and in its
callbacks changes artists in place and calls :meth:`App.refresh`. Moving artists registered with
:meth:`App.animate` are blitted: the still background (contours, axes) is drawn once and only
the moving artists are drawn again, which keeps a slider move far below one frame of work.

Every app works from the keyboard alone and says in words what its figure shows: what the mouse
does on the figure has number fields too (:meth:`App.number_field`, kept in step with the mouse
by :meth:`App.show_number`), and under the figure a caption, ``self.alt``, gives the app's
:meth:`App.describe` sentence, written again after every refresh.
"""
import contextlib
import functools
import html
import math
import traceback

import ipywidgets as widgets

from course import plots
from course._display import canvas as display
from course.apps import limits

# The caption's lines at the spacing of text: a widget's HTML is laid out at the height of a
# control (28 px), which double-spaces a caption that wraps.
CAPTION = '<div style="line-height:1.4">{}</div>'
SETTLE_S = 0.3  # quiet time after the last update before the whole frame that repairs the view


class App:
    """Base class: ``self.fig``, ``self.output`` (callback errors), ``self.widget`` (to display).

    ``describe``, if given, is a function of no argument returning the caption (see
    :meth:`describe`): an app built in a notebook, without a subclass, says its figure in words.
    """

    def __init__(self, width=8.0, height=3.6, ncols=1, nrows=1, describe=None, **subplot_kw):
        self.fig, self.axes = plots.new_figure(width, height, ncols=ncols, nrows=nrows, **subplot_kw)
        self.output = widgets.Output(layout=widgets.Layout(max_height="12em", overflow="auto"))
        self._animated, self._slow, self._on_top = [], [], []
        self._background = self._static = None
        self._top_boxes = []
        self.connect("draw_event", self._on_draw)
        self._layout_cid = self.connect("draw_event", self._freeze_layout)
        display.skip_pick_search(self.fig)     # no artist of an app is pickable
        self._no_default_keys()
        limits.keep_size(self.fig)              # whatever size the page asks for
        self.widget = None
        self.last_error = None      # the full traceback of the last error (also in the server log)
        self.dragging = False                   # the mouse button is down in a draggable axes
        self._settle = None
        self._echoing = False                   # a number field is set by the app, not the reader
        self._undescribed = False               # refreshed before self.alt was laid out
        self._describe = describe
        self.alt = widgets.HTML(style={"font_size": "0.9em"},   # the figure in words
                                layout=widgets.Layout(margin="0 0 0.5em 0", max_width="880px"))  # as wide as the figures
        self.alt.add_class("course-alt")

    def _no_default_keys(self):
        """A key pressed on the focused figure does nothing: matplotlib's default keys ("k" a
        log x axis, "g" the grid, "s" save...) would change the figure under the app's feet."""
        manager = self.fig.canvas.manager
        if manager is not None and manager.key_press_handler_id is not None:
            self.fig.canvas.mpl_disconnect(manager.key_press_handler_id)

    # --- wiring -----------------------------------------------------------------------------
    def guarded(self, fn):
        """Wrap a callback so that an exception is reported (:meth:`report`), never lost."""

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            start = limits.clock()
            try:
                return fn(*args, **kwargs)
            except Exception as error:  # one sentence for the reader, the traceback in the log
                self.report(error)
                return None
            finally:
                spent = limits.clock() - start
                if spent > limits.CALLBACK_BUDGET_S:
                    limits.log(f"{type(self).__name__}.{fn.__name__} took {spent:.1f} s")

        return wrapper

    def report(self, error):
        """An error: one plain sentence in ``self.output``; the full traceback in the server log
        (the kernel's stderr) and in ``self.last_error`` (only the last one is kept)."""
        self.last_error = "".join(traceback.format_exception(error))
        limits.log(self.last_error)
        self.say(limits.sentence(error))

    def say(self, text):
        """Show ``text`` in ``self.output``, in place of what it showed before."""
        self.output.outputs = ({"output_type": "stream", "name": "stderr", "text": text + "\n"},)

    def observe(self, control, handler, names="value"):
        """Call ``handler(change)`` when ``control``'s trait ``names`` changes."""
        control.observe(self.guarded(handler), names=names)

    def on_click(self, button, handler):
        """Call ``handler()`` when ``button`` is clicked (a page can click a disabled one: ignored)."""
        button.on_click(self.guarded(lambda b: None if b.disabled else handler()))

    def connect(self, event, handler):
        """Call ``handler(event)`` for a matplotlib canvas event such as ``button_press_event``."""
        return self.fig.canvas.mpl_connect(event, self.guarded(handler))

    def draggable(self, ax, on_move, on_release=None, enabled=None, on_press=None):
        """Let the reader drag on ``ax``: ``on_move(x, y)`` (data coordinates) on the press and
        while the button is held; on letting go ``on_release()``, if given. ``on_press(x, y)``,
        if given, replaces ``on_move`` on the press. ``enabled()``, if given, can refuse a press."""

        def press(event):
            if event.inaxes is ax and event.xdata is not None and (enabled is None or enabled()):
                self.dragging = True
                (on_press or on_move)(event.xdata, event.ydata)

        def motion(event):
            if self.dragging and event.inaxes is ax and event.xdata is not None:
                on_move(event.xdata, event.ydata)

        def release(_event):
            if self.dragging:
                self.dragging = False
                if on_release is not None:
                    on_release()

        self.connect("button_press_event", press)
        self.connect("motion_notify_event", motion)
        self.connect("button_release_event", release)

    def number_field(self, description, value, low, high, on_change):
        """A number field for what the mouse does on the figure, so that the keyboard can do it
        too: ``on_change(value)`` when the reader sets it (a state from the page is checked
        first, see :func:`limits.lock`). Its arrow-key step is about a fiftieth of
        ``high - low``; :meth:`show_number` sets it from the app without calling ``on_change``."""
        field = widgets.BoundedFloatText(description=description, min=low, max=high,
                                         step=_step(low, high), style={"description_width": "initial"},
                                         layout=widgets.Layout(width="170px"))
        self.show_number(field, value)

        def changed(change):
            if not self._echoing and math.isfinite(change["new"]):
                on_change(float(change["new"]))

        self.observe(field, changed)
        return field

    def show_number(self, field, value, low=None, high=None):
        """Show ``value`` in ``field`` (rounded to a tenth of its step), and with ``low`` and
        ``high`` a new range, without calling the field's ``on_change``: a drag shows where it
        is, it does not start again from the field."""
        with self._echo():
            if low is not None:
                step = _step(low, high)
                with field.hold_trait_notifications():
                    if low > field.max:          # min never above max, even for a moment
                        field.max, field.min = high, low
                    else:
                        field.min, field.max = low, high
                    field.step = step
            shown = round(float(value), _decimals(field.step) + 1)
            field.value = min(max(shown, field.min), field.max)

    @contextlib.contextmanager
    def _echo(self):
        before, self._echoing = self._echoing, True
        try:
            yield
        finally:
            self._echoing = before

    def describe(self):
        """One or two plain sentences saying what the figure shows now, with its key numbers:
        the figure's text alternative. Every app of the course says it in its own words: a
        subclass overrides this method, an app built without one passes ``describe=``."""
        return self._describe() if self._describe is not None else ""

    def describe_now(self):
        """Write :meth:`describe` under the figure (``self.alt``); done after every refresh."""
        if self.widget is None:       # still being built: the layout writes the first one
            self._undescribed = True
            return
        text = CAPTION.format(html.escape(self.describe(), quote=False))
        if self.alt.value != text:
            self.alt.value = text

    def layout(self, *rows, header=None):
        """Build ``self.widget``: optional header, the rows of controls, the figure and under it
        its text alternative (``self.alt``), the errors."""
        parts = ([header] if header is not None else []) + list(rows) + [
            self.fig.canvas, self.alt, self.output]
        for row in rows:
            _wrap(row)
        self.widget = widgets.VBox(parts, layout=widgets.Layout(width="100%"))
        limits.lock(self.widget, self.say, self.report)   # what the page sends is checked
        if self._undescribed:         # refreshed before the layout (else the next refresh will)
            self.describe_now()
        return self.widget

    # --- drawing ----------------------------------------------------------------------------
    def animate(self, *artists, slow=False):
        """Mark artists that change, to blit them over a cached background instead of a full redraw.

        Moving artists (the default) change on every update and are drawn on every refresh.
        Slow ones (``slow=True``: contours and points of new data) change only with
        ``refresh(slow=True)``: they are drawn in zorder over a cached image of everything else
        (axes, ticks, labels: the costly text is never drawn again), and that result is cached in
        turn as the background of the moving artists. An artist that a slow one would cover but
        that must stay on top goes to the slow layer too, or to :meth:`keep_on_top`.
        """
        for artist in artists:
            artist.set_animated(True)
            (self._slow if slow else self._animated).append(artist)

    def keep_on_top(self, *artists):
        """Opaque artists (a legend with ``framealpha=1, fancybox=False``) over slow artists:
        after each slow redraw their pixels are put back from the cached image of the rest."""
        self._on_top.extend(artists)

    def _freeze_layout(self, _event):
        """After the first draw keep the constrained layout as it is: later redraws skip it."""
        self.fig.set_layout_engine("none")
        self.fig.canvas.mpl_disconnect(self._layout_cid)

    def _on_draw(self, _event):
        if not self._animated and not self._slow:
            return
        if self._slow:
            self._static = self.fig.canvas.copy_from_bbox(self.fig.bbox)
            self._top_boxes = [self._pixel_box(a) for a in self._on_top if a.get_visible()]
            self._draw_slow()
        else:
            self._background = self.fig.canvas.copy_from_bbox(self.fig.bbox)
        for artist in self._animated:
            self.fig.draw_artist(artist)

    def _pixel_box(self, artist):
        """The artist's extent as Agg's (x0, y0, x1, y1) in pixel rows from the top, with one
        more pixel on each side for the antialiased edge (drawn over the static image)."""
        x0, y0, x1, y1 = artist.get_window_extent().extents     # display: y goes up
        height = self.fig.bbox.height
        return (math.floor(x0) - 1, math.floor(height - y1) - 1,
                math.ceil(x1) + 1, math.ceil(height - y0) + 1)

    def _draw_slow(self):
        """Over the cached image without them, the slow artists, then what stays on top."""
        canvas = self.fig.canvas
        canvas.restore_region(self._static)
        for artist in sorted(self._slow, key=lambda a: a.get_zorder()):
            self.fig.draw_artist(artist)
        for box in self._top_boxes:
            canvas.restore_region(self._static, bbox=box, xy=(0, 0))
        self._background = canvas.copy_from_bbox(self.fig.bbox)

    def refresh(self, full=False, slow=False):
        """Show the changes: blit the moving artists (and with ``slow=True`` the slow ones too),
        or redraw everything (``full=True``, or when nothing is cached yet).

        Each update goes to the browser as a diff frame. ipympl's browser side drops a diff that
        arrives while the previous image is still loading, which happens in a burst of slider or
        drag events, and the pixels it carried would stay stale. So once the updates have been
        quiet for ``SETTLE_S`` seconds, one whole frame repairs the view (:meth:`full_frame`).
        The caption under the figure is written again (:meth:`describe_now`).
        """
        self._draw(full, slow)
        self._schedule_full_frame()
        self.describe_now()

    def _draw(self, full=False, slow=False):
        canvas = self.fig.canvas
        if (full or self._background is None or not (self._animated or self._slow)
                or (slow and self._static is None)):
            canvas.draw_idle()
            return
        if slow:
            self._draw_slow()
        else:
            canvas.restore_region(self._background)
        for artist in self._animated:
            self.fig.draw_artist(artist)
        canvas.blit(self.fig.bbox)

    def _schedule_full_frame(self):
        loop = display.kernel_loop()
        if loop is None:  # plain Python, tests, benchmarks: no browser to repair
            return
        if self._settle is not None:
            self._settle.cancel()
        self._settle = loop.call_later(SETTLE_S, self.guarded(self.full_frame))

    def full_frame(self):
        """Send the figure as a whole frame instead of a diff (see :meth:`refresh`)."""
        self._settle = None
        display.full_frame(self.fig.canvas, self._draw)

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)


def _step(low, high):
    """A round step for a number field over [low, high]: the power of ten nearest a fiftieth."""
    span = high - low
    return 10.0 ** round(math.log10(span / 50)) if span > 0 else 1.0


def _decimals(step):
    """The decimals a value needs to show ``step``: 0 for 1 or more, 2 for 0.01."""
    return max(0, -math.floor(math.log10(step) + 1e-9))


def set_value(control, value):
    """A benchmark update (see ``bench_cases`` in CONTRIBUTING.md): ``app.<control>.value = value``."""

    def update(app):
        getattr(app, control).value = value

    return update


def step(app):
    """A benchmark update: one click of the app's Step button."""
    app.player.step()


class Player:
    """Play / Step / Reset controls and an iteration counter, for apps that iterate.

    ``on_step(k)`` is called with the new iteration number k (1, 2, ...) at every tick of Play or
    click of Step; ``on_reset()`` when Reset is clicked. Play stops by itself at ``max_steps``.
    """

    def __init__(self, app, on_step, on_reset, max_steps=500, interval=150):
        self.max_steps = max_steps
        self._say = app.say
        self._on_step = app.guarded(on_step)
        self._on_reset = app.guarded(on_reset)
        self.play = widgets.Play(value=0, min=0, max=max_steps, step=1, interval=interval,
                                 description="Play", show_repeat=False)
        self.step_button = widgets.Button(description="Step", icon="step-forward",
                                          layout=widgets.Layout(width="90px"))
        self.reset_button = widgets.Button(description="Reset", icon="undo",
                                           layout=widgets.Layout(width="90px"))
        self.counter = widgets.HTML("iteration <b>0</b>")
        self.run_budget = limits.Budget(limits.PLAY_BUDGET_S)   # computing time since iteration 0
        self._held = False
        self.play.observe(app.guarded(self._tick), names="value")
        self.step_button.on_click(app.guarded(lambda _b: self.step()))
        self.reset_button.on_click(app.guarded(lambda _b: self.reset()))
        self.widget = widgets.HBox([self.play, self.step_button, self.reset_button, self.counter],
                                   layout=widgets.Layout(align_items="center"))

    @property
    def k(self):
        """The current iteration number."""
        return self.play.value

    def _tick(self, change):
        if self._held:      # the value put back by _hold
            return
        old, new = change["old"], change["new"]
        if new < old:  # moved back (a visitor can set any value): replay from the start
            self._on_reset()
            self.run_budget.restart()
            old = 0
        reached = old
        with limits.Budget(limits.CALLBACK_BUDGET_S) as now, self.run_budget:
            for k in range(old + 1, min(new, self.max_steps) + 1):
                if now.exceeded() or self.run_budget.exceeded():
                    break
                self._on_step(k)
                reached = k
        if reached != new:
            self._hold(reached)
        self.counter.value = f"iteration <b>{reached}</b>"

    def _hold(self, k):
        """Stop at iteration k (the steps asked for were over the limits): Play stops and shows k."""
        self.play.playing = False
        if self.run_budget.exceeded():
            self._say(f"This run has used its {limits.PLAY_BUDGET_S:.0f} s of computing time: "
                      "press Reset to start again.")
        self._held = True
        try:
            self.play.value = k
        finally:
            self._held = False

    def step(self):
        """Advance by one iteration (as the Step button does)."""
        if self.play.value < self.max_steps:
            self.play.value += 1

    def reset(self):
        """Back to iteration 0 (as the Reset button does)."""
        self.play.playing = False
        self.run_budget.restart()
        if self.play.value:
            self.play.value = 0  # _tick sees the value go back and resets the app
        else:
            self._on_reset()


def _wrap(box):
    """Let every row of controls in ``box`` (HBoxes, nested too) wrap onto more lines when the
    page is narrow, instead of running past the cell's edge."""
    if isinstance(box, widgets.HBox) and not box.layout.flex_flow:
        box.layout.flex_flow = "row wrap"
    for child in getattr(box, "children", ()):
        if isinstance(child, widgets.Box):
            _wrap(child)
