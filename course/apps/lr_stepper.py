"""LearningRateStepper: gradient descent on the parabola f(w) = c/2 w^2, one step at a time.

One step is w <- w - lr f'(w) = (1 - lr c) w. The left panel shows the parabola, the current
point, the tangent there, the step along the tangent and the approximation error: the gap between
what the tangent predicts at the new point and the true cost there, c/2 (lr c w)^2. The right
panel shows the cost against the iteration on a log axis: the dashed line is where the closed
form w_k = (1 - lr c)^k w_0 says the run is heading. The regime is named from lr * c.
"""
import ipywidgets as widgets
import numpy as np
from matplotlib.patches import FancyArrowPatch

from course import landscapes, plots
from course.apps.base import App, Player, set_value, step
from course.lr_experiments import regime

VIEW = 2.0          # the parabola is drawn for |w| <= VIEW
BOUND = 50 * VIEW   # a run whose |w| passes this has diverged: stop stepping
YLIM = (-2.5, 10.5)
COST_YLIM = (1e-10, 1e5)
MAX_STEPS = 60
APPROX = "#9467bd"  # the approximation error
REGIME_COLORS = {"creeping": "#e6850e", "steady": "#2ca02c", "one step": "#00702a",
                 "oscillating": "#b8860b", "on the edge": "#d95f02", "diverging": plots.MODEL}
REGIME_TEXT = {
    "creeping": "tiny steps: 1 − ηc is close to 1, it takes many of them",
    "steady": "every step moves most of the way, never past the minimum",
    "one step": "1 − ηc ≈ 0: one step lands (almost) on the minimum",
    "oscillating": "−1 < 1 − ηc < 0: each step jumps over the minimum, but less far each time",
    "on the edge": "1 − ηc ≈ −1: it jumps from side to side for ever, never closer",
    "diverging": "1 − ηc < −1: each jump lands farther out than the last",
}



class LearningRateStepper(App):
    """Curvature and learning-rate sliders, Step / Play / Reset; click the parabola to move the start."""

    def __init__(self, curvature=1.0, lr=0.25, start=1.5):
        super().__init__(width=8.8, height=4.3, ncols=2, gridspec_kw={"width_ratios": [1.35, 1]})
        style = {"description_width": "initial"}
        self.curvature_slider = widgets.FloatSlider(
            value=curvature, min=0.5, max=5.0, step=0.1, description="curvature c",
            style=style, readout_format=".1f", continuous_update=True)
        # base 2 with 40 steps per doubling: every power of two (1/c and 2/c for c = 1, 2, 4) is
        # on the slider, so one step and the edge can be hit exactly
        self.lr_slider = widgets.FloatLogSlider(
            value=lr, base=2, min=-10, max=3.3, step=0.025, description="learning rate η",
            style=style, readout_format=".3g")
        self.readout = widgets.HTML()
        self.start = float(np.clip(start, -VIEW, VIEW))
        self.start_field = self.number_field("start w₀", self.start, -VIEW, VIEW, self._start_at)
        self.player = Player(self, self._on_step, self._on_reset, max_steps=MAX_STEPS)
        self._build_axes()
        self.observe(self.curvature_slider, lambda _c: self.player.reset())
        self.observe(self.lr_slider, lambda _c: self.player.reset())
        self.connect("button_press_event", self._on_press)
        self._on_reset()
        self.layout(widgets.HBox([self.curvature_slider, self.lr_slider]), self.start_field,
                    self.player.widget, self.readout,
                    header=widgets.HTML("<b>Step down the parabola.</b> Set the curvature and the "
                                        "learning rate, then press Step or Play. Click on the "
                                        "left plot, or type a start w₀, to choose another "
                                        "start."))

    # --- state --------------------------------------------------------------------------------
    @property
    def curvature(self):
        return float(np.clip(self.curvature_slider.value, 0.5, 5.0))

    @property
    def lr(self):
        return float(np.clip(self.lr_slider.value, 1e-3, 10.0))


    @property
    def regime(self):
        return regime(self.lr, self.curvature)

    # --- figure -------------------------------------------------------------------------------
    def _build_axes(self):
        ax, ax_cost = self.axes
        self.w_grid = np.linspace(-VIEW * 1.1, VIEW * 1.1, 241)
        self.curve, = ax.plot([], [], color=plots.TRUTH, lw=2, label="cost $f(w) = \\frac{c}{2}w^2$")
        self.tangent, = ax.plot([], [], "--", color=plots.WARN, lw=1.5, label="tangent at $w_k$")
        self.trail, = ax.plot([], [], "o", color=plots.MODEL, ms=4, alpha=0.35, zorder=4)
        self.point, = ax.plot([], [], "o", color=plots.MODEL, ms=9, zorder=6, label="current $w_k$")
        self.next_point, = ax.plot([], [], "o", mfc="white", mec=plots.MODEL, mew=1.5, ms=8,
                                   zorder=5, label="next $w_{k+1}$")
        self.error, = ax.plot([], [], color=APPROX, lw=3, solid_capstyle="butt", zorder=5,
                              label="approximation error")
        self.arrow = FancyArrowPatch((0, 0), (0, 0), arrowstyle="-|>", mutation_scale=14,
                                     color=plots.MODEL, lw=1.6, zorder=5)
        ax.add_patch(self.arrow)
        ax.axhline(0, color="k", lw=0.6, alpha=0.5)
        ax.set(xlim=(-VIEW * 1.1, VIEW * 1.1), ylim=YLIM, xlabel="parameter $w$",
               ylabel="cost $f(w)$", title="One step along the tangent")
        plots.legend_below(ax, fontsize=8, ncols=3)

        k = np.arange(MAX_STEPS + 1)
        self.k_grid = k
        self.future, = ax_cost.plot([], [], "--", color=plots.NEUTRAL, lw=1,
                                    label="closed form $(1-\\eta c)^{2k} f(w_0)$")
        self.done, = ax_cost.plot([], [], "o-", color=plots.MODEL, ms=3, lw=1.5, label="steps taken")
        ax_cost.set(xlim=(0, MAX_STEPS), ylim=COST_YLIM, yscale="log", xlabel="iteration $k$",
                    ylabel="cost $f(w_k)$ (log scale)", title="Cost at each iteration")
        plots.legend_below(ax_cost, fontsize=8)
        # the regime and the numbers are written in HTML above the figure: text drawn on the
        # canvas would cost more than all the lines together on every frame
        self.animate(self.curve, self.tangent, self.trail, self.error, self.arrow, self.next_point,
                     self.point, self.future, self.done)

    # --- steps --------------------------------------------------------------------------------
    def _on_reset(self):
        self.landscape = landscapes.get("parabola", curvature=self.curvature)
        self.w = self.start
        self.history = [self.start]
        self.diverged_at = -1
        self.update()

    def _on_step(self, k):
        if self.diverged_at >= 0:
            return
        self.w = self.w - self.lr * self._slope(self.w)   # w <- w - lr f'(w) = (1 - lr c) w
        self.history.append(self.w)
        if abs(self.w) > BOUND:
            self.diverged_at = k
            self.player.play.playing = False
        self.update()

    def _on_press(self, event):
        if event.inaxes is self.axes[0] and event.xdata is not None:
            self._start_at(event.xdata)

    def _start_at(self, w):
        """Start again from w (inside the view): a click there, or the start field."""
        self.start = float(np.clip(w, -VIEW, VIEW))
        self.show_number(self.start_field, self.start)
        self.player.reset()

    # --- drawing ------------------------------------------------------------------------------
    def _cost(self, w):
        """f(w) of the landscape for a number or an array of w."""
        return self.landscape.value(np.asarray(w, dtype=float)[..., None])

    def _slope(self, w):
        return float(self.landscape.grad([w])[0])

    def update(self):
        """Move every artist to the current state and name the regime."""
        c, lr, w = self.curvature, self.lr, self.w
        f = self._cost
        self.curve.set_data(self.w_grid, f(self.w_grid))
        slope = self._slope(w)
        self.tangent.set_data(self.w_grid, f(w) + slope * (self.w_grid - w))
        w_next = w - lr * slope
        predicted = f(w) + slope * (w_next - w)           # = f(w) - lr f'(w)^2
        true_next = f(w_next)                             # = predicted + c/2 (lr c w)^2
        predicted, true_next = float(predicted), float(true_next)
        self.point.set_data([w], [f(w)])
        shown = np.array(self.history[-MAX_STEPS:-1])
        self.trail.set_data(shown, f(shown))
        name = self.regime
        diverged = self.diverged_at >= 0
        visible = not diverged and abs(w) <= VIEW * 1.1
        for artist in (self.next_point, self.error, self.arrow, self.tangent):
            artist.set_visible(visible)
        self.next_point.set_data([w_next], [true_next])
        self.error.set_data([w_next, w_next], [predicted, true_next])
        self.arrow.set_positions((w, float(f(w))), (w_next, predicted))
        self._update_cost(c, lr)
        self._update_readout(name, w, w_next, predicted, true_next)
        self.refresh()

    def _update_cost(self, c, lr):
        f0 = float(self._cost(self.start))
        r = max(abs(1 - lr * c), 1e-300)
        log_cost = np.log10(max(f0, 1e-300)) + 2 * self.k_grid * np.log10(r)
        low = np.log10(COST_YLIM[0])    # a cost under the panel is drawn on its lower edge
        self.future.set_data(self.k_grid, 10.0 ** np.clip(log_cost, low, 30))
        hist = np.array(self.history)
        self.done.set_data(np.arange(len(hist)), np.maximum(self._cost(hist), COST_YLIM[0]))

    def _update_readout(self, name, w, w_next, predicted, true_next):
        c, lr = self.curvature, self.lr
        head = (f"<span style='color:{plots.text_color(REGIME_COLORS[name])};font-weight:700;font-size:1.25em'>"
                f"ηc = {lr * c:.3g}: {name}</span> &nbsp;(factor 1 − ηc = {1 - lr * c:+.3g}) "
                f"{REGIME_TEXT[name]}.")
        if self.diverged_at >= 0:
            body = (f"<b style='color:{plots.MODEL};font-size:1.15em'>diverged at step "
                    f"{self.diverged_at}</b>: the "
                    f"learning rate is too large for this curvature (|w| = {abs(w):.3g} is far "
                    "outside the view). Press Reset, or lower η below 2/c = "
                    f"{2 / c:.3g}.")
        else:
            body = (f"iteration {len(self.history) - 1}: cost f(w<sub>k</sub>) = {float(self._cost(w)):.3g}. "
                    f"w<sub>k</sub> = {w:.4g} → w<sub>k+1</sub> = {w_next:.4g}. "
                    f"The tangent predicts f = {predicted:.4g}, the true cost there is "
                    f"{true_next:.4g}: approximation error "
                    f"<span style='color:{plots.text_color(APPROX)};font-weight:600'>{true_next - predicted:.4g}</span>.")
        self.readout.value = f"{head}<br>{body}"


    def describe(self):
        k, w = len(self.history) - 1, self.w
        where = (f"at its start w₀ = {w:.4g}" if k == 0 else
                 f"at w = {w:.4g} after {k} step{'s' * (k != 1)} from w₀ = {self.start:.4g}")
        if self.diverged_at >= 0:
            now = f"the run diverged at step {self.diverged_at}"
        else:
            now = f"cost {float(self._cost(w)):.3g}, next w = {(1 - self.lr * self.curvature) * w:.4g}"
        return (f"Left, the parabola f(w) = c/2 w² with c = {self.curvature:.1f} and the point "
                f"{where}: {now}. Learning rate {self.lr:.3g}, so ηc = "
                f"{self.lr * self.curvature:.3g} ({self.regime}); right, the cost at each "
                "iteration on a log scale.")


def bench_cases():
    """Benchmark: learning-rate slider moves, curvature slider moves, Step clicks."""
    lr_moves = [set_value("lr_slider", v) for v in np.logspace(-2, 0.4, 30)]
    c_moves = [set_value("curvature_slider", v) for v in np.linspace(0.5, 4.0, 30).round(1)]
    return [("LearningRateStepper lr slider", LearningRateStepper, lr_moves),
            ("LearningRateStepper curvature slider", LearningRateStepper, c_moves),
            ("LearningRateStepper step", LearningRateStepper, [step] * 30)]
