"""GradientNoiseApp: the cloud of mini-batch gradient estimates around the full gradient.

Left: the cost landscape of the house prices (standardized floor area). From the red point, the
blue arrow is one full-batch step -lr * grad J; each small red dot is where one step would land
with the gradient of one random mini-batch of b houses (300 batches, without replacement).
Right: the spread of the cloud, E|g_B - grad J|^2 / sigma^2, against b on log-log axes: the
measured values (dots), the law 1/b (dashed) and, without replacement, (n - b) / ((n - 1) b).
Drag the red point; move the batch-size slider.
"""
import ipywidgets as widgets
import numpy as np

from course import batch_experiments as bx
from course import landscapes, plots
from course._display.events import drag
from course.apps.base import App, set_value
from course.data import house_prices

LR = 0.25
SAMPLES = 300
SIZES = np.array([1, 2, 4, 8, 16, 32, 45])


class GradientNoiseApp(App):
    """Batch-size slider, replacement switch; drag the point on the landscape."""

    def __init__(self, batch_size=4, m=50, seed=0):
        super().__init__(width=8.8, height=4.2, ncols=2, gridspec_kw={"width_ratios": [1.1, 1]})
        style = {"description_width": "initial"}
        self.houses = house_prices(m=m, seed=seed).standardized()
        self.n = m
        self.landscape = landscapes.linear_regression(self.houses.x, self.houses.y)
        self.point = self.landscape.least_squares + np.array([-40.0, 120.0])
        self.b_slider = widgets.IntSlider(value=batch_size, min=1, max=m, description="batch size b",
                                          style=style)
        self.replace_box = widgets.Checkbox(value=False, description="sample with replacement",
                                            style=style)
        self.readout = widgets.HTML()
        self._build_axes()
        self.observe(self.b_slider, lambda _c: self.update())
        self.observe(self.replace_box, lambda _c: self.update())
        self.draggable(self.axes[0], self._move)
        self.update()
        self.layout(widgets.HBox([self.b_slider, self.replace_box]), self.readout,
                    header=widgets.HTML("<b>Gradient noise.</b> Each red dot is one step taken "
                                        "with the gradient of one random mini-batch. Move the "
                                        "batch size; drag the red point."))

    @property
    def batch_size(self):
        return int(np.clip(self.b_slider.value, 1, self.n))

    @property
    def replace(self):
        return bool(self.replace_box.value)

    # --- figure -----------------------------------------------------------------------------
    def _build_axes(self):
        ax, ax_v = self.axes
        land = self.landscape
        w0, b0 = land.least_squares
        self.bounds = ((w0 - 90, w0 + 90), (b0 - 170, b0 + 170))
        plots.contour_landscape(ax, land, n=120, levels=20, bounds=self.bounds)
        self.cloud = ax.scatter(np.zeros(SAMPLES), np.zeros(SAMPLES), s=9, color=plots.MODEL,
                                alpha=0.45, lw=0, zorder=4, label="steps with one mini-batch")
        self.full, = ax.plot([], [], "-", color=plots.TRUTH, lw=2.2, zorder=5)
        self.full_end, = ax.plot([], [], "o", color=plots.TRUTH, ms=7, mec="white", zorder=6,
                                 label="step with the full gradient")
        self.dot, = ax.plot([], [], "o", color=plots.MODEL, ms=10, mec="white", zorder=7,
                            label="current (w, b): drag me")
        ax.set(xlabel="slope w (thousands per z-score)", ylabel="intercept b (thousands)",
               title=f"One step from (w, b), lr = {LR}")
        ax.legend(loc="lower right", fontsize=8)

        b = np.arange(1, self.n + 1)
        ax_v.plot(b, 1.0 / b, "--", color=plots.NEUTRAL, lw=1.2, label="$1/b$ (with replacement)")
        inner = b[:-1]
        ax_v.plot(inner, (self.n - inner) / ((self.n - 1) * inner), "-", color=plots.TRUTH, lw=1.6,
                  label=r"$\frac{m-b}{(m-1)\,b}$ (without)")
        self.measured, = ax_v.plot([], [], "o", color=plots.MODEL, ms=6,
                                   label=f"measured ({SAMPLES} batches)")
        self.current, = ax_v.plot([], [], "o", mfc="none", mec="k", ms=13, mew=1.5)
        ax_v.set(xscale="log", yscale="log", xlim=(0.8, self.n * 1.25), ylim=(1e-3, 2),
                 xlabel="batch size b (log scale)",
                 ylabel=r"noise $E|g_B - \nabla J|^2 / \sigma^2$ (log)",
                 title="Noise against batch size")
        ax_v.legend(loc="lower left", fontsize=8)
        self.animate(self.cloud, self.full, self.full_end, self.dot, self.measured, self.current)

    # --- interaction ------------------------------------------------------------------------
    def _move(self, x, y):
        (w0, w1), (b0, b1) = self.bounds
        self.point = np.array([np.clip(x, w0, w1), np.clip(y, b0, b1)])
        self.update()

    # --- model ------------------------------------------------------------------------------
    def update(self):
        """Sample the batches at the current point and move every artist."""
        key = (tuple(self.point), self.replace)
        if key != getattr(self, "_key", None):  # new point: one shuffle serves every batch size
            G = bx.per_example_gradients(self.houses.x, self.houses.y, self.point)
            self.g = G.mean(axis=0)
            self.sigma2 = bx.noise_variance(G, 1, replace=True)
            self.means = bx.batch_means_all_sizes(G, SAMPLES, seed=1, replace=self.replace)
            D = self.means - self.g
            self.spread = np.mean(np.sum(D * D, axis=-1), axis=0)  # (n,): for b = 1..n
            self.law = bx.noise_variance(G, np.arange(1, self.n + 1), replace=self.replace)
            self._key = key
            P, end = self.point, self.point - LR * self.g
            self.full.set_data([P[0], end[0]], [P[1], end[1]])
            self.full_end.set_data([end[0]], [end[1]])
            self.dot.set_data([P[0]], [P[1]])
            self.measured.set_data(SIZES, self.spread[SIZES - 1] / self.sigma2)
        b = self.batch_size
        self.cloud.set_offsets(self.point - LR * self.means[:, b - 1])
        here, law, sigma2 = self.spread[b - 1], self.law[b - 1], self.sigma2
        if here > 1e-12 * sigma2:
            self.current.set_data([b], [here / sigma2])
        else:
            self.current.set_data([], [])
        how = "with" if self.replace else "without"
        if b == self.n and not self.replace:
            text = (f"b = m = {self.n}: every batch is the whole data set, so every estimate is "
                    "the full gradient: no noise at all.")
        else:
            text = (f"b = {b} ({how} replacement): mean squared distance of the estimates from "
                    f"the full gradient <b>{here:,.0f}</b>; the formula says {law:,.0f} "
                    f"(σ² = {sigma2:,.0f}, the spread for one example).")
        self.readout.value = text
        self.refresh()


def bench_cases():
    """Slider moves and a drag, for ``make bench``."""
    def drag_by(dx, dy):
        return lambda app: drag(app, app.axes[0], *(app.point + np.array([dx, dy])))

    return [
        ("GradientNoiseApp: batch size", GradientNoiseApp,
         [set_value("b_slider", v) for v in [1, 2, 3, 5, 8, 13, 21, 34] * 4]),
        ("GradientNoiseApp: drag", GradientNoiseApp, [drag_by(3.0, -5.0)] * 32),
    ]
