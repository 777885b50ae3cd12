"""CostLandscape: house prices on the left, the cost J(w, b) over slope and intercept on the right.

J(w, b) = (1/m) sum_i (w x_i + b - y_i)^2 for the line y_hat = w x + b. Clicking or dragging on
the landscape (or typing w and b in their fields) moves the current parameters (red dot); the red
line on the data follows. The
least-squares minimum (white star) is the bottom of the bowl; with more houses it moves
toward the ground truth (blue dot, smaller and drawn over the star, so that both show).
"""
import ipywidgets as widgets
import numpy as np

from course import data, landscapes, plots
from course._display.contours import LiveContours
from course._display.events import drag
from course.apps.base import App
from course.plots import HOUSE_AREA, HOUSE_LEVELS, HOUSE_PRICE, HOUSE_WB, log_levels


class CostLandscape(App):
    """Pick m and the noise, resample, and move (w, b) on the cost landscape."""

    def __init__(self, m=20, noise=40.0, seed=0, w=1.0, b=300.0):
        super().__init__(width=8.8, height=4.0, ncols=2)
        self.seed = int(seed)
        self.params = np.array([w, b], dtype=float)
        self.m = widgets.IntSlider(value=m, min=2, max=500, step=1, description="houses m",
                                   continuous_update=False, style={"description_width": "initial"})
        self.noise = widgets.FloatSlider(value=noise, min=0.0, max=120.0, step=5.0,
                                         description="noise (thousands)", continuous_update=False,
                                         style={"description_width": "initial"})
        self.resample = widgets.Button(description="Resample", icon="refresh",
                                       tooltip="draw a new training set of the same size")
        self.readout = widgets.HTML()
        self.w_field = self.number_field("slope w", w, *HOUSE_WB[0],
                                         lambda v: self.move_to(v, self.params[1]))
        self.b_field = self.number_field("intercept b", b, *HOUSE_WB[1],
                                         lambda v: self.move_to(self.params[0], v))
        self._build_axes()
        self._new_data()
        self.observe(self.m, lambda _c: self._new_data())
        self.observe(self.noise, lambda _c: self._new_data())
        self.on_click(self.resample, self._on_resample)
        self.draggable(self.axes[1], self.move_to)
        self.layout(widgets.HBox([self.m, self.noise, self.resample]),
                    widgets.HBox([self.w_field, self.b_field]), self.readout,
                    header=widgets.HTML("<b>Drag the red dot on the cost landscape</b> (right), "
                                        "or type its slope w and intercept b, to change the "
                                        "model's line."))

    # --- figure ---------------------------------------------------------------------------
    def _build_axes(self):
        ax_data, ax_cost = self.axes
        xs = np.array(HOUSE_AREA)
        self.points = ax_data.scatter([], [], s=14, color=plots.NEUTRAL, alpha=0.7,
                                      label="houses (training set)", zorder=2)
        truth_line, = ax_data.plot(xs, 3.0 * xs + 50.0, color=plots.TRUTH, lw=2,
                                   label="ground truth", zorder=3)
        self.model_line, = ax_data.plot(xs, xs * 0, color=plots.MODEL, lw=2, label="model $wx+b$",
                                        zorder=4)
        ax_data.set(xlim=HOUSE_AREA, ylim=HOUSE_PRICE, xlabel="floor area $x$ (m²)",
                    ylabel="price $y$ (thousands)", title="The data and the model $f$")
        # opaque square legends: a data change redraws what is under them, not them (keep_on_top)
        legend_data = ax_data.legend(loc="upper left", framealpha=1, fancybox=False)

        ax_cost.grid(False)  # the contour lines are its grid
        ax_cost.set(xlim=HOUSE_WB[0], ylim=HOUSE_WB[1], xlabel="slope $w$ (thousands per m²)",
                    ylabel="intercept $b$ (thousands)", title="The cost $J(w, b)$")
        # the truth is a dot smaller than the star and drawn over it: where the minimum lands
        # on the truth (no noise, many houses) the dot shows in the star's middle, its tips around
        self.best, = ax_cost.plot([], [], "*", color=plots.MINIMUM, mec="k", ms=16,
                                  label="least-squares minimum", zorder=5)
        self.truth_dot, = ax_cost.plot(3.0, 50.0, "o", color=plots.TRUTH, mec="w", ms=7,
                                       label="ground truth", zorder=5.5)
        self.dot, = ax_cost.plot(*self.params, "o", color=plots.MODEL, mec="w", ms=10,
                                 label="current $(w, b)$", zorder=6)
        legend_cost = ax_cost.legend(loc="upper right", fontsize=8, framealpha=1, fancybox=False)
        self.contours = LiveContours(ax_cost, HOUSE_LEVELS, plots.LANDSCAPE_CMAP)
        # what a data change redraws (new points, new contours, new minimum) and what lies over it
        spines = [spine for ax in self.axes for spine in ax.spines.values()]
        self.animate(self.points, truth_line, *self.contours.artists, self.truth_dot, self.best,
                     *spines, slow=True)
        self.keep_on_top(legend_data, legend_cost)
        self.animate(self.model_line, self.dot)

    def _new_data(self):
        """New training set: recompute the landscape, re-contour, redraw the slow layer."""
        m = int(np.clip(self.m.value, 2, 500))
        noise = float(np.clip(self.noise.value, 0.0, 1000.0))
        self.data = data.house_prices(m=m, noise=noise, seed=self.seed)
        self.landscape = landscapes.linear_regression(self.data.x, self.data.y)
        self.points.set_offsets(np.column_stack([self.data.x, self.data.y]))
        self.best.set_data(*([v] for v in self.landscape.least_squares))
        self.contours.update(*log_levels(self.landscape, HOUSE_WB))
        self._update_model()
        self.refresh(slow=True)

    def _on_resample(self):
        self.seed += 1
        self._new_data()

    def _update_model(self):
        w, b = self.params
        self.dot.set_data([w], [b])
        self.model_line.set_ydata(w * np.array(HOUSE_AREA) + b)
        J = float(self.landscape.value(self.params))
        w_ls, b_ls = self.landscape.least_squares
        self.readout.value = (
            f"current line: <b>w = {w:.2f}</b>, <b>b = {b:.0f}</b> &nbsp;→&nbsp; cost "
            f"<b style='color:{plots.MODEL}'>J = {J:,.0f}</b> &nbsp;|&nbsp; least squares for these "
            f"{len(self.data.x)} houses: w = {w_ls:.2f}, b = {b_ls:.0f}, J = "
            f"{self.landscape.min_value:,.0f} &nbsp;|&nbsp; truth: w = 3, b = 50")

    # --- dragging ---------------------------------------------------------------------------
    def move_to(self, w, b):
        """Put the current parameters at (w, b) (clipped to the view box) and redraw."""
        self.params = np.array([np.clip(w, *HOUSE_WB[0]), np.clip(b, *HOUSE_WB[1])], dtype=float)
        self.show_number(self.w_field, self.params[0])
        self.show_number(self.b_field, self.params[1])
        self._update_model()
        self.refresh()

    def describe(self):
        w, b = self.params
        w_ls, b_ls = self.landscape.least_squares
        line = f"y = {w:.2f} x {'−' if b < 0 else '+'} {abs(b):.0f}"
        return (f"Left, {len(self.data.x)} houses and the red model line {line}; "
                f"right, the cost landscape with the red dot at w = {w:.2f}, b = {b:.0f}, cost "
                f"J = {self.landscape.value(self.params):,.0f}. The least-squares minimum (star) "
                f"is at w = {w_ls:.2f}, b = {b_ls:.0f}, J = {self.landscape.min_value:,.0f}.")


def bench_cases():
    """Benchmark: dragging the red dot (blitted) and a resample (re-contour)."""
    def drag_to(w, b):
        return lambda app: drag(app, app.axes[1], w, b)

    drags = [drag_to(w, b) for w, b in zip(np.linspace(0.0, 6.0, 30), np.linspace(400, -300, 30))]
    return [("CostLandscape drag", CostLandscape, drags),
            ("CostLandscape resample", CostLandscape, [lambda app: app.resample.click()] * 5)]
