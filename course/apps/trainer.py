"""NetworkTrainer: train a small network on handwritten digits and watch it learn.

Left: the training and validation cost (mean cross-entropy, log scale) after every epoch, drawn
while the network trains; a dotted line marks the epoch with the lowest validation cost, the
parameters the network keeps. Right: test digits the trained network gets wrong, with the true
label and the network's answer. Training runs when Train is pressed (a few seconds at most);
the cost lines are blitted after each epoch, so the plot moves even though the kernel is busy.
"""
import time

import ipywidgets as widgets
import numpy as np
from matplotlib import colormaps
from matplotlib.ticker import MaxNLocator

from course import plots
from course.apps.base import App, set_value
from course.data import digits
from course.nn import Network, count_parameters
from course.optimizers import OPTIMIZERS, make
from course.training import train

DEFAULT_LR = {"SGD": 0.3, "Momentum": 0.3, "Nesterov": 0.3, "Adagrad": 0.1, "RMSprop": 0.003,
              "Adam": 0.003}
LEARNING_RATES = [1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]   # a log scale
BATCH_SIZES = [4, 8, 16, 32, 64, 128, 256]
L2_VALUES = [0.0, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1]
HIDDEN = [8, 16, 32, 64, 128]
ROWS, COLS = 3, 8          # the grid of misclassified digits
DX, DY = 9, 12             # pixels from one tile to the next: 8x8 digit, gaps, room for a label
COST_LIMITS = (1e-3, 30.0)  # fixed, so that runs can be compared and the lines are blitted


def _nearest(lr):
    """The learning rate on the slider closest to lr on a log scale."""
    return min(LEARNING_RATES, key=lambda v: abs(np.log(v / lr)))


class NetworkTrainer(App):
    """Optimizer, learning rate, batch size, epochs, L2 and patience; Train runs the training."""

    def __init__(self, optimizer="SGD", lr=None, batch_size=32, epochs=20, l2=0.0, hidden=32,
                 patience=5, seed=0, train_now=True):
        super().__init__(width=8.8, height=3.9, ncols=2, gridspec_kw={"width_ratios": [1.2, 1]})
        self.data = digits(seed)
        self.seed = seed
        self.net = self.history = None
        self.wrong, self.seconds, self._live = np.array([], int), 0.0, False
        style = {"description_width": "initial"}
        self.optimizer = widgets.Dropdown(options=list(OPTIMIZERS), value=optimizer,
                                          description="optimizer", layout=widgets.Layout(width="190px"))
        self.lr = widgets.SelectionSlider(options=[(f"{v:g}", v) for v in LEARNING_RATES],
                                          value=_nearest(lr or DEFAULT_LR[optimizer]),
                                          description="learning rate", style=style)
        self.batch = widgets.SelectionSlider(options=BATCH_SIZES, value=batch_size,
                                             description="batch size", style=style)
        self.epochs = widgets.IntSlider(value=epochs, min=1, max=100, description="epochs", style=style)
        self.l2 = widgets.SelectionSlider(options=[(f"{v:g}", v) for v in L2_VALUES], value=l2,
                                          description="L2 strength", style=style)
        self.hidden = widgets.Dropdown(options=HIDDEN, value=hidden, description="hidden units",
                                       style=style, layout=widgets.Layout(width="170px"))
        self.patience = widgets.IntSlider(value=patience, min=0, max=20,
                                          description="patience (0 = off)", style=style)
        self.button = widgets.Button(description="Train", icon="play", button_style="primary",
                                     layout=widgets.Layout(width="110px"))
        self.progress = widgets.IntProgress(value=0, min=0, max=epochs, description="epoch 0",
                                            style=style, layout=widgets.Layout(width="260px"))
        self.readout = widgets.HTML()
        self._build_axes()
        self.observe(self.optimizer, self._on_optimizer)
        for control in (self.lr, self.batch, self.epochs, self.l2, self.hidden, self.patience):
            self.observe(control, self._on_setting)
        self.on_click(self.button, self.run)
        self.layout(
            widgets.HBox([self.optimizer, self.lr, self.batch]),
            widgets.HBox([self.hidden, self.epochs, self.l2]),
            widgets.HBox([self.patience, self.button, self.progress],
                         layout=widgets.Layout(align_items="center")),
            self.readout,
            header=widgets.HTML("<b>Train a network on handwritten digits.</b> Choose the "
                                "settings and press Train: the costs are drawn after every epoch."))
        if train_now:
            self.run(live=False)
        else:
            self._on_setting(None)

    # --- settings (clipped: a Voila visitor can send any value) -------------------------------
    def settings(self):
        """The current choices as a dict."""
        return {
            "optimizer": self.optimizer.value if self.optimizer.value in OPTIMIZERS else "SGD",
            "lr": float(self.lr.value),
            "batch_size": int(self.batch.value),
            "epochs": int(np.clip(self.epochs.value, 1, 100)),
            "l2": float(self.l2.value),
            "hidden": int(self.hidden.value),
            "patience": int(np.clip(self.patience.value, 0, 20)),
        }

    # --- figure -----------------------------------------------------------------------------
    def _build_axes(self):
        ax, ax_d = self.axes
        colour = plots.OPTIMIZER_COLORS[self.optimizer.value]
        self.train_line, = ax.plot([], [], color=colour, lw=2, label="training cost")
        self.val_line, = ax.plot([], [], color=colour, lw=2, ls="--", label="validation cost")
        self.best_line = ax.axvline(0, color=plots.NEUTRAL, lw=1, ls=":", label="best epoch")
        ax.set(yscale="log", ylim=COST_LIMITS, xlim=(0, self.epochs.value), xlabel="epoch",
               ylabel="cost (mean cross-entropy)", title="Cost after each epoch")
        ax.axhline(np.log(10), color=plots.NEUTRAL, lw=0.8, alpha=0.6)
        ax.text(0.99, np.log(10) * 1.15, "guessing: log 10", transform=ax.get_yaxis_transform(),
                ha="right", va="bottom", fontsize=8, color=plots.NEUTRAL)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(loc="lower left", fontsize=8)
        self.animate(self.train_line, self.val_line, self.best_line)
        self._tile = np.full((ROWS * DY, COLS * DX - 1), np.nan)
        self.mosaic = ax_d.imshow(self._tile, cmap=colormaps["gray_r"].with_extremes(bad="white"),
                                  vmin=0, vmax=1, interpolation="nearest")
        self.labels = [ax_d.text(c * DX + 3.5, r * DY + 8.0, "", ha="center", va="top", fontsize=9,
                                 color=plots.MODEL) for r in range(ROWS) for c in range(COLS)]
        ax_d.set(xticks=[], yticks=[],
                 title="Misclassified test digits (true → predicted)")
        ax_d.grid(False)
        for spine in ax_d.spines.values():
            spine.set_visible(False)

    def _start(self, epochs, colour):
        """Clear the lines and set the epoch axis before training (one full draw)."""
        for line in (self.train_line, self.val_line):
            line.set_data([], [])
            line.set_color(colour)
        self.best_line.set_xdata([0, 0])
        self.axes[0].set_xlim(0, epochs)
        self.progress.max, self.progress.value = epochs, 0
        self.progress.description = "epoch 0"

    def _on_epoch(self, history):
        """After each epoch: new line data and progress, blitted (the axes do not change)."""
        k = np.arange(len(history.train_cost))
        self.train_line.set_data(k, np.clip(history.train_cost, *COST_LIMITS))
        self.val_line.set_data(k, np.clip(history.val_cost, *COST_LIMITS))
        self.best_line.set_xdata([history.best_epoch] * 2)
        self.progress.value = history.epochs
        self.progress.description = f"epoch {history.epochs}"
        if self._live:
            self.refresh()

    def run(self, live=True):
        """Train a fresh network with the current settings (what the Train button does)."""
        s = self.settings()
        self._live = live
        self.button.disabled = True
        try:
            self._start(s["epochs"], plots.OPTIMIZER_COLORS[s["optimizer"]])
            if live:
                self.readout.value = "training..."
                self.fig.canvas.draw()            # new axis limits and background, sent at once
            self.net = Network([64, s["hidden"], 10], seed=self.seed)
            start = time.perf_counter()
            self.history = train(self.net, make(s["optimizer"], lr=s["lr"]), self.data,
                                 epochs=s["epochs"], batch_size=s["batch_size"], l2=s["l2"],
                                 patience=s["patience"] or None, seed=self.seed,
                                 callback=self._on_epoch)
            self.seconds = time.perf_counter() - start
            self._show_result()
        finally:
            self.button.disabled = False
            self._live = False

    def _show_result(self):
        net, h, d = self.net, self.history, self.data
        predicted = net.predict(d.X_test)
        self.wrong = wrong = np.flatnonzero(predicted != d.y_test)
        tile = self._tile
        tile[:] = np.nan
        images = d.images(d.X_test[wrong[:ROWS * COLS]])
        for j, text in enumerate(self.labels):
            r, c = divmod(j, COLS)
            if j < len(images):
                tile[r * DY:r * DY + 8, c * DX:c * DX + 8] = images[j]
                text.set_text(f"{d.y_test[wrong[j]]}→{predicted[wrong[j]]}")
            else:
                text.set_text("")
        self.mosaic.set_data(tile)
        self.axes[1].set_title(f"{len(wrong)} of {len(d.y_test)} test digits misclassified\n"
                               "(true → predicted)")
        accuracy = 1 - len(wrong) / len(d.y_test)
        verdict = h.message()
        colour = plots.MODEL if h.diverged_at >= 0 else plots.NEUTRAL
        self.readout.value = (
            f"<b>test accuracy {accuracy:.1%}</b> ({len(d.y_test) - len(wrong)} of {len(d.y_test)}) · "
            f"validation cost {h.val_cost[h.best_epoch]:.3f} · "
            f"<span style='color:{colour}'>{verdict}</span> · {h.steps} steps in {self.seconds:.1f} s · "
            f"{count_parameters(net.sizes):,} parameters")
        if self._live:
            self.fig.canvas.draw()                # sent at once, although the kernel is busy
        else:
            self.refresh(full=True)

    def _on_optimizer(self, change):
        name = self.optimizer.value if self.optimizer.value in OPTIMIZERS else "SGD"
        self.lr.value = _nearest(DEFAULT_LR[name])      # a sensible start for each optimizer
        self._on_setting(change)

    def _on_setting(self, _change):
        s = self.settings()
        steps = -(-len(self.data.y_train) // s["batch_size"])
        note = "press <b>Train</b>" if self.history is None else "settings changed: press <b>Train</b>"
        self.readout.value = (f"{s['optimizer']}, learning rate {s['lr']:.4g}, {steps} steps per epoch, "
                              f"up to {s['epochs']} epochs: {note}")


def bench_cases():
    """Settings changes (no training) and one epoch's redraw, for ``make bench``."""
    def factory():
        return NetworkTrainer(epochs=20)

    def epoch(app):
        app._live = True
        app._on_epoch(app.history)

    return [
        ("NetworkTrainer: learning rate", factory, [set_value("lr", v) for v in (0.01, 0.03, 0.1, 0.3)] * 8),
        ("NetworkTrainer: optimizer", factory, [set_value("optimizer", n) for n in OPTIMIZERS] * 5),
        ("NetworkTrainer: epoch redraw", factory, [epoch] * 30),
    ]
