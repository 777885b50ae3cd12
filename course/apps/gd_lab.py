"""GradientDescentLab: fit y_hat = w x + b to house prices with mini-batch gradient descent.

(1) draw a training set of m houses; (2) drag the start (w, b) on the cost landscape (or type it);
(3) choose the learning rate and the batch size, then Train (or Step). Each iteration takes one
mini-batch and moves (w, b) <- (w, b) - lr * grad J_batch(w, b) with ``course.optimizers.SGD``.
The whole run is computed once by ``course.descent.minibatch_sgd`` (seeded) and then revealed
one iteration at a time. "Standardize the feature" fits on z = (x - mean x) / std x instead.
"""
import math

import ipywidgets as widgets
import numpy as np

from course import data, descent, landscapes, optimizers, plots
from course._display.events import drag
from course.apps.base import App, Player
from course.plots import HOUSE_AREA, HOUSE_LEVELS, HOUSE_PRICE, HOUSE_WB, log_levels

MAX_STEPS = 300
# Fixed view boxes: raw area (w in thousands per m², b in thousands) and standardized area
# (w in thousands per standard deviation of area), both around the true line y = 3 x + 50.
VIEWS = {False: HOUSE_WB, True: ((-344.0, 656.0), (-60.0, 940.0))}
DEFAULT_LR = {False: 2e-5, True: 0.1}
BATCHES = [("1 (one house)", 1), ("4", 4), ("16", 16), ("64", 64), ("all m (full batch)", 0)]


class GradientDescentLab(App):
    """The AI Notes article's three-step figure, live: data, start, then learning rate and batch size."""

    def __init__(self, m=50, seed=0, start=(0.5, 400.0), lr=None, batch_size=16,
                 standardize=False):
        super().__init__(width=8.8, height=3.7, ncols=3, width_ratios=(1.0, 1.0, 0.9))
        self.seed = int(seed)
        self.start_raw = np.array(start, dtype=float)   # the start as a line in raw units
        self.run = None
        style = {"description_width": "initial"}
        self.m = widgets.IntSlider(value=m, min=2, max=500, description="① houses m",
                                   continuous_update=False, style=style)
        self.resample = widgets.Button(description="Resample", icon="refresh")
        self.standardize = widgets.Checkbox(value=standardize, style=style,
                                            description="standardize the feature (z-scores)")
        self.lr = widgets.FloatLogSlider(value=lr or DEFAULT_LR[standardize], base=10, min=-6,
                                         max=0.3, step=0.1, description="③ learning rate η",
                                         style=style, readout_format=".1e",
                                         continuous_update=False)
        self.batch = widgets.Dropdown(options=BATCHES, value=batch_size, description="batch size",
                                      style=style, layout=widgets.Layout(width="230px"))
        self.train = widgets.Button(description="Train", icon="play", button_style="success")
        self.player = Player(self, self._on_step, self._on_reset, max_steps=MAX_STEPS,
                             interval=100)
        self.readout = widgets.HTML()
        (w0, w1), (b0, b1) = VIEWS[standardize]
        self.w_field = self.number_field("start w", start[0], w0, w1,
                                         lambda v: self.move_start(v, self.start[1]))
        self.b_field = self.number_field("start b", start[1], b0, b1,
                                         lambda v: self.move_start(self.start[0], v))
        self._build_axes()
        self._new_data()
        for control in (self.lr, self.batch):
            self.observe(control, lambda _c: self._invalidate())
        self.observe(self.m, lambda _c: self._new_data())
        self.observe(self.standardize, self._on_standardize)
        self.on_click(self.resample, self._on_resample)
        self.on_click(self.train, self._on_train)
        self.draggable(self.axes[1], self.move_start)
        hint = widgets.HTML("② <b>drag the red circle</b> on the landscape, or type its w and b, "
                            "to choose the start")
        self.layout(widgets.HBox([self.m, self.resample, self.standardize]), hint,
                    widgets.HBox([self.w_field, self.b_field]),
                    widgets.HBox([self.lr, self.batch, self.train]), self.player.widget,
                    self.readout)

    # --- figure -----------------------------------------------------------------------------
    def _build_axes(self):
        ax_data, ax_land, ax_cost = self.axes
        self.points = ax_data.scatter([], [], s=12, color=plots.NEUTRAL, alpha=0.6, zorder=2,
                                      label="houses")
        xs = np.array(HOUSE_AREA)
        ax_data.plot(xs, 3.0 * xs + 50.0, color=plots.TRUTH, lw=2, label="ground truth")
        self.model_line, = ax_data.plot(xs, xs * 0, color=plots.MODEL, lw=2, label="model")
        ax_data.set(xlim=HOUSE_AREA, ylim=HOUSE_PRICE, xlabel="floor area $x$ (m²)",
                    ylabel="price $y$ (thousands)", title="(1) the data")
        ax_data.legend(loc="upper left", fontsize=8)

        # the truth: a dot smaller than the star, drawn over it, so that both show where they meet
        self.best, = ax_land.plot([], [], "*", color=plots.MINIMUM, mec="k", ms=14, zorder=5,
                                  label="least squares")
        self.truth_dot, = ax_land.plot([], [], "o", color=plots.TRUTH, mec="w", ms=6, zorder=5.5,
                                       label="truth")
        self.start_dot, = ax_land.plot([], [], "o", mfc="none", mec=plots.MODEL, mew=2.5, ms=11,
                                       zorder=6, label="start (drag)")
        self.path, = ax_land.plot([], [], ".-", color=plots.MODEL, lw=1.2, ms=3, zorder=6)
        self.now, = ax_land.plot([], [], "o", color=plots.MODEL, mec="w", ms=8, zorder=7)
        ax_land.set_title("(2) the cost $J(w, b)$")
        ax_land.legend(loc="upper right", fontsize=7, handletextpad=0.3, borderpad=0.3)
        self.message = ax_land.text(0.5, 0.04, "", transform=ax_land.transAxes, ha="center",
                                    va="bottom", color=plots.MODEL, fontsize=9, fontweight="bold",
                                    zorder=8, bbox=dict(fc="w", ec="none", alpha=0.85))
        self._contours = []

        self.cost_line, = ax_cost.plot([], [], color=plots.MODEL, lw=1.5, label="cost $J$")
        self.cost_now, = ax_cost.plot([], [], "o", color=plots.MODEL, ms=5)
        self.floor = ax_cost.axhline(1.0, color=plots.NEUTRAL, ls="--", lw=1,
                                     label="least-squares minimum")
        ax_cost.set(xlim=(0, MAX_STEPS), yscale="log", xlabel="iteration",
                    ylabel="cost $J$ (thousands²)", title="(3) cost per iteration")
        ax_cost.legend(loc="upper right", fontsize=8)
        self.animate(self.model_line, self.start_dot, self.path, self.now, self.message,
                     self.cost_line, self.cost_now)

    # --- data and views ---------------------------------------------------------------------
    @property
    def scaled(self):
        """True when the model is fitted on the standardized feature."""
        return bool(self.standardize.value)

    def _new_data(self):
        """Draw the training set, build its landscape, re-contour, start again."""
        m = int(np.clip(self.m.value, 2, 500))
        self.raw = data.house_prices(m=m, noise=40.0, seed=self.seed)
        self.mu, self.sd = float(self.raw.x.mean()), float(self.raw.x.std())
        self.data = self.raw.standardized() if self.scaled else self.raw
        self.landscape = landscapes.linear_regression(self.data.x, self.data.y)
        self.points.set_offsets(np.column_stack([self.raw.x, self.raw.y]))
        ax = self.axes[1]
        for cs in self._contours:
            cs.remove()
        bounds = VIEWS[self.scaled]
        W, B, Z = log_levels(self.landscape, bounds)
        self._contours = [
            ax.contourf(W, B, Z, levels=HOUSE_LEVELS, cmap=plots.LANDSCAPE_CMAP, zorder=0),
            ax.contour(W, B, Z, levels=HOUSE_LEVELS, colors="k", linewidths=0.3, alpha=0.35,
                       zorder=1)]
        unit = "thousands per std of area" if self.scaled else "thousands per m²"
        ax.set(xlim=bounds[0], ylim=bounds[1], xlabel=f"slope $w$ ({unit})",
               ylabel="intercept $b$ (thousands)")
        self.truth_dot.set_data([self.data.w_true], [self.data.b_true])
        self.best.set_data(*([v] for v in self.landscape.least_squares))
        self.floor.set_ydata([self.landscape.min_value] * 2)
        self._invalidate(full=True)

    def _to_view(self, wb_raw):
        """A line (w, b) in raw units as parameters of the current view."""
        w, b = wb_raw
        return np.array([w * self.sd, b + w * self.mu]) if self.scaled else np.array([w, b])

    def _to_raw(self, wb):
        w, b = wb
        return np.array([w / self.sd, b - w * self.mu / self.sd]) if self.scaled else np.array(wb)

    def _on_standardize(self, _change):
        self.lr.value = DEFAULT_LR[self.scaled]
        self._new_data()

    def _on_resample(self):
        self.seed += 1
        self._new_data()

    # --- the run ----------------------------------------------------------------------------
    def _invalidate(self, full=False):
        """Settings changed: forget the computed run and go back to iteration 0."""
        self.run = None
        self.player.play.playing = False
        self.player.reset()
        if full:
            self.axes[2].set_ylim(*self._cost_limits(self.landscape.value(self.start)))
            self.refresh(full=True)

    @property
    def start(self):
        """The start (w, b) in the current view's parameters."""
        return self._to_view(self.start_raw)

    def compute(self):
        """Run mini-batch SGD for MAX_STEPS iterations from the start (seeded, deterministic)."""
        m = len(self.data.x)
        batch = int(self.batch.value) or m
        batch = min(max(batch, 1), m)
        per_epoch = math.ceil(m / batch)
        lr = float(np.clip(self.lr.value, 1e-7, 10.0))
        self.run = descent.minibatch_sgd(self.data.x, self.data.y, optimizers.SGD(lr), batch,
                                         epochs=math.ceil(MAX_STEPS / per_epoch),
                                         seed=self.seed, start=tuple(self.start))
        cost = self.run.cost[:MAX_STEPS + 1]
        if self.run.diverged_at >= 0:
            cost = cost[:self.run.diverged_at]
        self.axes[2].set_ylim(*self._cost_limits(cost))
        self.fig.canvas.draw()   # now, so that the next blits start from the new cost axis
        return self.run

    def _cost_limits(self, cost):
        """The log axis from just under the least-squares cost to above the run's highest cost,
        six decades at most: a cost of 0 (m = 2, the line through both houses) has no log."""
        top = max(float(np.max(cost)), self.landscape.min_value * 2.0) * 1.5
        bottom = max(self.landscape.min_value * 0.7, top * 1e-6)
        self.floor.set_visible(self.landscape.min_value >= bottom)
        return bottom, top

    def _on_reset(self):
        self.k = 0
        (w0, w1), (b0, b1) = VIEWS[self.scaled]       # the start in the current view's units
        self.show_number(self.w_field, self.start[0], w0, w1)
        self.show_number(self.b_field, self.start[1], b0, b1)
        self._show()

    def _on_step(self, k):
        if self.run is None:
            self.compute()
        d = self.run.diverged_at
        if 0 <= d <= k:
            self.player.play.playing = False
            self.k = d - 1
        else:
            self.k = k
        self._show()

    def _on_train(self):
        self.player.reset()
        self.compute()
        self.player.play.playing = True

    def _show(self):
        k = self.k
        if self.run is None:
            params, cost = self.start[None, :], np.array([self.landscape.value(self.start)])
        else:
            params, cost = self.run.params[:k + 1], self.run.cost[:k + 1]
        w, b = params[-1]
        self.start_dot.set_data([params[0, 0]], [params[0, 1]])
        self.path.set_data(params[:, 0], params[:, 1])
        self.now.set_data([w], [b])
        bottom = self.axes[2].get_ylim()[0]       # a cost below the panel is drawn on its edge
        self.cost_line.set_data(np.arange(len(cost)), np.maximum(cost, bottom))
        self.cost_now.set_data([len(cost) - 1], [max(cost[-1], bottom)])
        w_raw, b_raw = self._to_raw((w, b))
        self.model_line.set_ydata(w_raw * np.array(HOUSE_AREA) + b_raw)
        (w0, w1), (b0, b1) = VIEWS[self.scaled]
        d = -1 if self.run is None else self.run.diverged_at
        if 0 <= d <= k + 1:
            text = f"diverged at step {d}: the learning rate\nis too large for this curvature"
        elif not (w0 <= w <= w1 and b0 <= b <= b1):
            text = "the parameters left the view:\nthe steps overshoot"
        else:
            text = ""
        self.message.set_text(text)
        self.shown = (w, b, float(cost[-1]), text.replace("\n", " "))
        w_ls, b_ls = self.landscape.least_squares
        self.readout.value = (
            f"iteration {k}: <b style='color:{plots.MODEL}'>w = {w:.3g}, b = {b:.4g}, "
            f"J = {cost[-1]:,.0f}</b> &nbsp;|&nbsp; least squares: w = {w_ls:.3g}, "
            f"b = {b_ls:.4g}, J = {self.landscape.min_value:,.0f}"
            + (f" &nbsp;|&nbsp; <b style='color:{plots.MODEL}'>{text}</b>".replace("\n", " ")
               if text else ""))
        self.refresh()

    # --- dragging the start -----------------------------------------------------------------
    def move_start(self, w, b):
        """Put the start at (w, b), in the current view's parameters, and start again."""
        (w0, w1), (b0, b1) = VIEWS[self.scaled]
        self.start_raw = self._to_raw((float(np.clip(w, w0, w1)), float(np.clip(b, b0, b1))))
        self._invalidate()


    def describe(self):
        w, b, cost, trouble = self.shown
        w0, b0 = self.start
        batch = int(self.batch.value) or len(self.data.x)
        where = (f"the start w = {w0:.3g}, b = {b0:.4g} (red circle), cost J = {cost:,.0f}"
                 if self.k == 0 else
                 f"the path from w = {w0:.3g}, b = {b0:.4g} (red circle) after {self.k} "
                 f"iterations, now at w = {w:.3g}, b = {b:.4g}, cost J = {cost:,.0f}")
        return (f"Gradient descent on {len(self.data.x)} houses, learning rate "
                f"{float(self.lr.value):.1e}, batch size {min(batch, len(self.data.x))}: on the "
                f"cost landscape, {where}; the least-squares minimum is J = "
                f"{self.landscape.min_value:,.0f}."
                + (f" {trouble[0].upper()}{trouble[1:]}." if trouble else ""))


def bench_cases():
    """Benchmark: Step (blitted) after a Train, and dragging the start."""
    def factory():
        app = GradientDescentLab(standardize=True)
        app.compute()
        return app

    def drag_to(w, b):
        return lambda app: drag(app, app.axes[1], w, b)

    steps = [lambda app: app.player.step_button.click()] * 30
    drags = [drag_to(w, b) for w, b in zip(np.linspace(-200, 500, 30), np.linspace(800, 0, 30))]
    return [("GradientDescentLab step", factory, steps),
            ("GradientDescentLab drag start", factory, drags)]
