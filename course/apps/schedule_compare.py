"""ScheduleCompare: learning-rate decay schedules on a noisy mini-batch problem.

The problem: fit the line w z + b to house prices (z = floor area in z-scores) by mini-batch SGD
with batches of 4 houses, 500 steps, from (0, 0). Every combination of schedule, lr0 and decay
half-life is run once when the app is built (all runs at once, on the same mini-batches), so a
control change only swaps lines. Left: lr(t) / lr0; right: the full-data cost above its minimum.
"""
import ipywidgets as widgets
import numpy as np

from course import plots
from course.apps.base import App, set_value
from course.data import house_prices
from course.lr_experiments import HALF_LIVES, LR0S, SCHEDULES, make_schedule, schedule_runs

BATCH, EPOCHS, HOUSES = 4, 10, 200          # 50 batches per epoch, 500 steps
WARMUP = 20
COST_YLIM = (1e-3, 1e7)
FAINT = 5  # the faint lines show every 5th step: five times less to draw
COLORS = dict(zip(SCHEDULES, ("#444444", "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e")))
FORMULAS = {
    "constant": "η(t) = η₀",
    "step": "η(t) = η₀ · 0.5<sup>⌊(t−1)/h⌋</sup> (halve every h steps)",
    "exponential": "η(t) = η₀ · 2<sup>−(t−1)/h</sup>",
    "inverse-time": "η(t) = η₀ / (1 + t/h)",
    "cosine": "η(t) = η₀ (1 + cos(π (t−1)/2h)) / 2, then 0 after 2h steps",
    "warm-up + cosine": f"η rises linearly from 0 to η₀ over {WARMUP} steps, then the cosine",
}


def precompute(seed=0):
    """Every run at once: lr and excess cost with shape (schedule, lr0, half-life, steps)."""
    data = house_prices(m=HOUSES, seed=seed).standardized()
    steps = HOUSES // BATCH * EPOCHS
    t = np.arange(1, steps + 1)
    lrs = np.array([make_schedule(name, lr0, h, WARMUP)(t)
                    for name in SCHEDULES for lr0 in LR0S for h in HALF_LIVES])
    runs = schedule_runs(data.x, data.y, lrs, batch_size=BATCH, epochs=EPOCHS, seed=seed)
    shape = (len(SCHEDULES), len(LR0S), len(HALF_LIVES))
    return (lrs.reshape(*shape, steps), runs.excess.reshape(*shape, steps + 1),
            runs.diverged_at.reshape(shape))


def verdict(excess, lr, diverged_at, constant_excess, window=50):
    """Name what a run did: diverged, constant, stalled (decayed too fast: ends 10 x above the
    constant rate), noisy (decayed too slowly: its lr still above 0.3 of its peak) or settled."""
    if diverged_at >= 0:
        return "diverged", f"diverged at step {diverged_at}: η₀ is too large for this problem"
    end, end_const = excess[-window:].mean(), constant_excess[-window:].mean()
    if np.all(lr == lr[0]):
        return "constant", (f"no decay: the cost stops falling at a noise floor near {end:.3g}, "
                            "higher for a larger η₀")
    if end > 10 * end_const:
        return "stalled", (f"decays too fast: the learning rate died before the minimum, the cost "
                           f"stalls at {end:.3g} (constant η₀ reaches {end_const:.3g})")
    if lr[-1] > 0.3 * lr.max():
        return "noisy", (f"decays too slowly: the steps are still large, the cost jumps around "
                         f"{end:.3g} (constant η₀: {end_const:.3g})")
    return "settled", (f"settles as the noise shrinks with η: final excess cost {end:.3g}, "
                       f"{end_const / end:.3g} times below constant η₀")


class ScheduleCompare(App):
    """Schedule dropdown, lr0 and half-life sliders; the schedule beside the cost it produces."""

    def __init__(self, schedule="cosine", lr0=0.1, half_life=100, seed=0):
        super().__init__(width=8.8, height=3.5, ncols=2)
        self.lrs, self.excess, self.diverged_at = precompute(seed)
        style = {"description_width": "initial"}
        self.schedule = widgets.Dropdown(options=SCHEDULES, value=schedule,
                                         description="schedule", style=style)
        self.lr0 = widgets.SelectionSlider(options=[(f"{v:g}", v) for v in LR0S], value=lr0,
                                           description="initial rate η₀", style=style)
        self.half_life = widgets.SelectionSlider(
            options=[(str(h), h) for h in HALF_LIVES], value=half_life,
            description="decay half-life h (steps)", style=style)
        self.readout = widgets.HTML()
        self._build_axes()
        for control in (self.schedule, self.lr0, self.half_life):
            self.observe(control, lambda _c: self.update())
        self.update()
        self.layout(widgets.HBox([self.schedule, self.lr0, self.half_life]), self.readout,
                    header=widgets.HTML("<b>Pick a schedule, η₀ and how fast it decays.</b> "
                                        "A short half-life h is a strong decay."))

    def _indices(self):
        s = SCHEDULES.index(self.schedule.value) if self.schedule.value in SCHEDULES else 0
        i = LR0S.index(self.lr0.value) if self.lr0.value in LR0S else 0
        j = HALF_LIVES.index(self.half_life.value) if self.half_life.value in HALF_LIVES else 0
        return s, i, j

    def _build_axes(self):
        ax_lr, ax_cost = self.axes
        steps = self.lrs.shape[-1]
        self.t = np.arange(1, steps + 1)
        self.t_cost = np.arange(steps + 1)
        self.lr_lines = {name: ax_lr.plot([], [], color=COLORS[name], lw=1, alpha=0.35,
                                          label=name)[0] for name in SCHEDULES}
        self.constant_line, = ax_cost.plot([], [], color=COLORS["constant"], lw=0.8, alpha=0.4,
                                           label="constant η₀ (for reference)")
        self.lr_line, = ax_lr.plot([], [], lw=2.5)
        self.cost_line, = ax_cost.plot([], [], lw=1.6)
        ax_lr.set(xlim=(0, steps), ylim=(0, 1.05), xlabel="step $t$",
                  ylabel=r"learning rate $\eta(t)\,/\,\eta_0$", title="The schedule")
        ax_lr.legend(loc="upper right", fontsize=8)
        ax_cost.set(xlim=(0, steps), ylim=COST_YLIM, yscale="log", xlabel="step $t$",
                    ylabel=r"cost above its minimum $J - J^*$ (log)",
                    title="The cost it produces")
        ax_cost.legend(loc="upper right", fontsize=8)
        self.animate(*self.lr_lines.values(), self.constant_line, self.lr_line, self.cost_line)

    def update(self):
        """Show the selected run bold, every schedule's lr faint and the constant rate's cost faint."""
        s, i, j = self._indices()
        for k, name in enumerate(SCHEDULES):
            self.lr_lines[name].set_data(self.t[::FAINT], self.lrs[k, i, j, ::FAINT] / LR0S[i])
        name = SCHEDULES[s]
        colour = COLORS[name]
        self.constant_line.set_data(self.t_cost[::FAINT], self.excess[0, i, j, ::FAINT])
        self.lr_line.set_data(self.t, self.lrs[s, i, j] / LR0S[i])
        self.cost_line.set_data(self.t_cost, self.excess[s, i, j])
        self.lr_line.set_color(colour)
        self.cost_line.set_color(colour)
        self.half_life.disabled = name == "constant"
        kind, text = verdict(self.excess[s, i, j], self.lrs[s, i, j], self.diverged_at[s, i, j],
                             self.excess[0, i, j])
        self.kind = kind
        tone = {"settled": plots.GOOD, "diverged": plots.MODEL, "constant": plots.NEUTRAL}.get(kind, plots.WARN)
        self.readout.value = (f"<b style='color:{plots.text_color(colour)}'>{name}</b>: {FORMULAS[name]}.<br>"
                              f"<b style='color:{plots.text_color(tone)}'>{kind}</b>: {text}.")
        self.refresh()


def bench_cases():
    """Benchmark: half-life and η₀ slider moves, and switching the schedule."""
    sweep = [set_value("half_life", h) for h in (HALF_LIVES + HALF_LIVES[::-1]) * 2]
    lr_sweep = [set_value("lr0", v) for v in (LR0S + LR0S[::-1]) * 3]
    names = [set_value("schedule", n) for n in SCHEDULES * 5]
    return [("ScheduleCompare half-life slider", ScheduleCompare, sweep),
            ("ScheduleCompare lr0 slider", ScheduleCompare, lr_sweep),
            ("ScheduleCompare schedule dropdown", ScheduleCompare, names)]
