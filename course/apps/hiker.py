"""BlindHiker: gradient descent on a cost curve of one parameter, one step at a time.

The hiker cannot see the valley: at the current w it only feels the slope J'(w) (the dashed
tangent) and steps against it, w <- w - lr * J'(w). The trail of earlier positions stays on
the curve. Click on the figure (or type a start w) to put the hiker somewhere else.
"""
import ipywidgets as widgets
import numpy as np

from course import landscapes, plots
from course.apps.base import App, Player, set_value

CURVES = {
    "a bowl: J(w) = w²": ("parabola", {"curvature": 2.0}),
    "two valleys: J(w) = (w² − 1)² + 0.3 w": ("two-minima", {"tilt": 0.3}),
}
MAX_STEPS = 100
ESCAPE = 10.0   # a hiker farther than ESCAPE view widths from the view's centre has diverged


def descent_step(landscape, p, lr):
    """One step of gradient descent in 1-D: returns (new w, slope J'(w), step -lr J'(w))."""
    slope = float(landscape.grad(np.array([p]))[0])
    step = -lr * slope
    return p + step, slope, step


class BlindHiker(App):
    """Step or Play gradient descent on a 1-D cost curve; the learning rate sets the stride."""

    def __init__(self, curve="a bowl: J(w) = w²", lr=0.1, start=None):
        super().__init__(width=8.5, height=3.6)
        style = {"description_width": "initial"}
        self.curve = widgets.Dropdown(options=list(CURVES), value=curve, description="cost curve",
                                      style=style, layout=widgets.Layout(width="330px"))
        self.lr = widgets.FloatLogSlider(value=lr, base=10, min=-2, max=0.2, step=0.05,
                                         description="learning rate η", style=style,
                                         readout_format=".3f")
        self.player = Player(self, self._on_step, self._on_reset, max_steps=MAX_STEPS)
        self.readout = widgets.HTML()
        self.start_field = self.number_field("start w", 0.0, -1.0, 1.0, self._start_at)
        self._build_axes()
        self._set_curve(start)
        self.observe(self.curve, lambda _c: self._set_curve())
        self.observe(self.lr, lambda _c: self.player.reset())
        self.connect("button_press_event", self._on_press)
        self.layout(widgets.HBox([self.curve, self.lr]), self.start_field, self.player.widget,
                    self.readout,
                    header=widgets.HTML("<b>Step</b> or <b>Play</b> to let the hiker walk "
                                        "downhill; <b>click on the figure</b>, or type a start "
                                        "w, to put it somewhere else."))

    def _build_axes(self):
        ax = self.axes
        self.curve_line, = ax.plot([], [], color=plots.TRUTH, lw=2, label="cost $J(w)$")
        self.trail, = ax.plot([], [], "o-", color=plots.MODEL, alpha=0.35, ms=5, lw=1,
                              label="trail of earlier steps")
        self.tangent, = ax.plot([], [], "--", color=plots.WARN, lw=2,
                                label="slope $J'(w)$ felt with the cane")
        self.arrow = ax.annotate("", xy=(0, 0), xytext=(0, 0), zorder=6,
                                 arrowprops=dict(arrowstyle="->", color=plots.MODEL, lw=2))
        self.hiker, = ax.plot([], [], "o", color=plots.MODEL, mec="w", ms=12, zorder=7,
                              label="the hiker at $w$")
        self.step_label = ax.text(0, 0, "", color=plots.MODEL, ha="center", va="bottom",
                                  fontsize=9, zorder=6)
        self.message = ax.text(0.5, 0.55, "", transform=ax.transAxes, ha="center", va="center",
                               color=plots.MODEL, fontsize=10, fontweight="bold", zorder=8,
                               bbox=dict(fc="w", ec="none", alpha=0.85))
        ax.set(xlabel="parameter $w$ (a weight, no unit)", ylabel="cost $J(w)$",
               title="A blind hiker: feel the slope, step against it")
        ax.legend(loc="upper center", fontsize=8, ncol=2)
        self.animate(self.trail, self.tangent, self.arrow, self.step_label, self.hiker,
                     self.message)

    def _set_curve(self, start=None):
        name, params = CURVES.get(self.curve.value, CURVES["a bowl: J(w) = w²"])
        self.landscape = landscapes.get(name, **params)
        (lo, hi), = self.landscape.bounds
        ps = np.linspace(lo, hi, 300)
        cs = self.landscape.value(ps[:, None])
        self.curve_line.set_data(ps, cs)
        span = cs.max() - cs.min()
        self.axes.set(xlim=(lo, hi), ylim=(cs.min() - 0.08 * span, cs.max() + 0.25 * span))
        self.start = float(self.landscape.start[0] if start is None else start)
        self.show_number(self.start_field, self.start, lo, hi)
        self.player.reset()
        self.refresh(full=True)

    # --- stepping ---------------------------------------------------------------------------
    def _on_reset(self):
        self.ps = [self.start]
        self.diverged_at = -1
        self._show()

    def _on_step(self, k):
        if self.diverged_at >= 0:
            self.player.play.playing = False
            return
        lr = float(np.clip(self.lr.value, 1e-4, 10.0))
        p, _slope, _step = descent_step(self.landscape, self.ps[-1], lr)
        (lo, hi), = self.landscape.bounds
        if abs(p - (lo + hi) / 2) > ESCAPE * (hi - lo):
            self.diverged_at = k
            self.player.play.playing = False
        else:
            self.ps.append(p)
        self._show()

    def _show(self):
        p = self.ps[-1]
        lr = float(np.clip(self.lr.value, 1e-4, 10.0))
        _new, slope, step = descent_step(self.landscape, p, lr)
        c = float(self.landscape.value(np.array([p])))
        ps = np.array(self.ps)
        self.trail.set_data(ps, self.landscape.value(ps[:, None]))
        self.hiker.set_data([p], [c])
        (lo, hi), = self.landscape.bounds
        half = 0.12 * (hi - lo)
        self.tangent.set_data([p - half, p + half], [c - slope * half, c + slope * half])
        y0, y1 = self.axes.get_ylim()
        base = c + 0.12 * (y1 - y0)   # the step is drawn just above the hiker
        self.arrow.xy = (p + step, base)
        self.arrow.set_position((p, base))
        visible = abs(step) > 0.01 * (hi - lo)   # shorter arrows are only an arrowhead
        in_view = lo <= p <= hi and y0 <= c <= y1  # outside, text would be drawn far off the canvas
        self.arrow.set_visible(visible and in_view)
        self.step_label.set_visible(in_view)
        middle = min(max(p + step / 2, lo), hi)    # a long step's middle may be far off the view
        self.step_label.set_position((middle, base + 0.03 * (y1 - y0)))
        self.step_label.set_text("step $-\\eta\\,J'(w)$" if visible else "step ≈ 0")
        if self.diverged_at >= 0:
            self.message.set_text(f"diverged at step {self.diverged_at}: the learning rate is "
                                  "too large for this curvature")
        elif not lo <= p <= hi:
            self.message.set_text("the hiker left the view: each step overshoots the valley")
        else:
            self.message.set_text("")
        self.readout.value = (
            f"step {len(self.ps) - 1}: w = <b>{p:.4f}</b>, cost J(w) = <b>{c:.4f}</b>, slope "
            f"J'(w) = <b>{slope:.4f}</b> &nbsp;→&nbsp; next step −η·J'(w) = −{lr:.3f} × "
            f"{slope:.4f} = <b style='color:{plots.MODEL}'>{step:+.4f}</b>")
        self.refresh()

    def _on_press(self, event):
        if event.inaxes is self.axes and event.xdata is not None:
            self._start_at(event.xdata)

    def _start_at(self, w):
        """Put the hiker at w (inside the view) and start again: a click there, or the field."""
        (lo, hi), = self.landscape.bounds
        self.start = float(np.clip(w, lo, hi))
        self.show_number(self.start_field, self.start)
        self.player.reset()

    def describe(self):
        p, k = self.ps[-1], len(self.ps) - 1
        where = (f"at its start w = {p:.3f}" if k == 0 else
                 f"at w = {p:.3f} after {k} step{'s' * (k != 1)} from w = {self.ps[0]:.3f}")
        c = float(self.landscape.value(np.array([p])))
        slope = float(self.landscape.grad(np.array([p]))[0])
        name = self.curve.value if self.curve.value in CURVES else "a bowl: J(w) = w²"
        trouble = self.message.get_text()
        return (f"The cost curve ({name}) with the hiker {where}: cost {c:.4f}, slope "
                f"{slope:.4f}; learning rate {float(self.lr.value):.3f}."
                + (f" {trouble[0].upper()}{trouble[1:]}." if trouble else ""))


def bench_cases():
    """Benchmark: Step clicks (blitted) and learning-rate moves."""
    steps = [lambda app: app.player.step_button.click()] * 30
    return [("BlindHiker step", BlindHiker, steps),
            ("BlindHiker learning rate", BlindHiker, [set_value("lr", v) for v in np.geomspace(0.01, 1.0, 30)])]
