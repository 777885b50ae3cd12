"""Every app's figure has a text alternative: a caption under it, written again after each
change, that says in plain words what the figure shows now, with its key numbers."""
import ipywidgets as widgets
import numpy as np
import pytest

from course import batch_experiments as bx
from course import losses, rates
from course.apps.adaptive_bowl import run
from course.apps.base import CAPTION, App
from course.averages import ewa
from test_app_limits import MODULES, app_class


def after_step(app):
    app.player.step()


def move(control, value):
    def change(app):
        getattr(app, control).value = value
    return change


def adaptive_numbers(app):
    here = run(app.optimizer.value, app.lr.value, 45.0).converged_at[0]
    gd = run("SGD", 2 / (1 + 20.0), 0.0).converged_at[0]
    return ["turned by 45 degrees", f"η = {app.lr.value:.3g}", f"below 10⁻³ at step {here} here",
            f"gradient descent at step {gd}"]


def averages_numbers(app):
    t = app.step.value
    return [f"step t = {t}", "β = 0.50", f"the average is {ewa(app.series, 0.5)[t - 1]:.2f}",
            f"1/(1 − β) = {1 / (1 - 0.5):.3g} steps"]


def eigen_numbers(app):
    lam, beta = np.array([1.0, app.condition.value]), app.beta.value
    return ["η = 0.05", f"κ = {lam[1]:.3g}", f"{rates.gd_rate(0.05, lam).max():.3f} for gradient descent",
            f"{rates.momentum_rate(0.05, beta, lam).max():.3f} for Momentum"]


def slice_numbers(app):
    s = app.slices[app.batch.value, "pca"]
    return [f"±{s.a[-1]:.3g} along d₁", f"the cost is {s.cost[len(s.b) // 2, len(s.a) // 2]:.3f}",
            f"from {s.cost.min():.3f} to {s.cost.max():.3g}"]


def bbox_numbers(app):
    total, centre, size = losses.bbox_loss(app.box, app.box_hat)
    return ["x̂ = 0.70", f"centre term {centre:.4f}", f"L = {total:.4f}"]


def escape_numbers(app):
    now = bx.outcomes(app.curves, app.runs[app.batch_size][120])
    return ["after step 120", f"{now['settled']:.0%} settled", f"{now['trapped']:.0%} trapped"]


def gd_numbers(app):
    w, b = app.run.params[3]
    return ["after 3 iterations", f"w = {w:.3g}", f"b = {b:.4g}", f"J = {app.run.cost[3]:,.0f}"]


def hiker_numbers(app):
    p = app.ps[-1]
    return [f"w = {p:.3f}", f"cost {float(app.landscape.value(np.array([p]))):.4f}", "1 step"]


def race_numbers(app):
    return ["At step 1 of 200"] + [f"{n} {r.gap[1]:.2g}" for n, r in app.runs.items()]


def trainer_numbers(app):
    h = app.history
    return [f"{h.epochs} epochs", f"{h.val_cost[h.best_epoch]:.3g} at epoch {h.best_epoch}",
            f"{len(app.wrong)} of {len(app.data.y_test)}"]


def train_again(app):
    app.epochs.value = 2
    app.run()


# module: (a change, the numbers the caption must then give)
CASES = {
    "adaptive_bowl": (move("angle", 45.0), adaptive_numbers),
    "averages": (move("beta", 0.5), averages_numbers),
    "batches": (after_step, lambda a: [f"{a.n} houses", f"{len(a.batch(1))} in the current batch",
                                       "Step 1"]),
    "bbox": (lambda a: setattr(a.sliders[0], "value", 0.7), bbox_numbers),
    "cost_landscape": (lambda a: a.move_to(2.5, 100.0), lambda a: [
        "w = 2.50, b = 100", f"J = {a.landscape.value(a.params):,.0f}", "y = 2.50 x + 100"]),
    "eigen_rates": (move("lr", 0.05), eigen_numbers),
    "escape": (move("k_slider", 120), escape_numbers),
    "gd_lab": (lambda a: [a.player.step() for _ in range(3)], gd_numbers),
    "gradient_noise": (move("b_slider", 9), lambda a: [
        "mini-batch of 9 houses", f"{a.spread[8] / a.sigma2:.3g} σ²", f"{a.law[8] / a.sigma2:.3g} σ²"]),
    "hiker": (after_step, hiker_numbers),
    "lr_stepper": (after_step, lambda a: [f"w = {a.w:.4g}", "after 1 step", "ηc = 0.25"]),
    "network_slice": (move("plane", "pca"), slice_numbers),
    "momentum": (move("beta", 0.5), lambda a: ["beta 0.50"] + [t.message() for t in a.runs.values()]),
    "race": (after_step, race_numbers),
    "schedule_compare": (move("schedule", "step"), lambda a: ["the step schedule",
                                                              a.verdict]),
    "trainer": (train_again, trainer_numbers),
}


def test_every_app_has_a_case():
    assert set(CASES) == set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_the_caption_says_what_the_figure_shows_now(name):
    change, numbers = CASES[name]
    app = app_class(name)()
    assert type(app).describe is not App.describe, "each app says it in its own words"
    alt = app.alt
    assert isinstance(alt, widgets.HTML) and "course-alt" in alt._dom_classes
    children = list(app.widget.children)
    assert children[children.index(app.fig.canvas) + 1] is alt, "the caption is under the figure"
    assert alt.layout.display != "none" and alt.layout.visibility != "hidden"
    before = alt.value
    text = before.removeprefix(CAPTION.split("{}")[0]).removesuffix(CAPTION.split("{}")[1])
    assert text and "<" not in text and "nan" not in text.lower()
    change(app)
    assert alt.value != before
    assert alt.value == CAPTION.format(app.describe().replace("&", "&amp;").replace("<", "&lt;"))
    for number in numbers(app):
        assert number in alt.value, f"{number!r} not in {alt.value!r}"
    assert app.output.outputs == () and app.last_error is None
