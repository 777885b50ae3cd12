"""BoundingBoxLoss: the localization loss made live (deeplearning.ai AI Notes, "Parameter
optimization in neural networks"; after YOLO, Redmon et al. 2016).

L = (x - x_hat)^2 + (y - y_hat)^2  +  (w - w_hat)^2 + (h - h_hat)^2
    \\_______ centre term _______/     \\________ size term ________/

Coordinates are fractions of the image: x from the left edge, y from the top edge, w and h as
fractions of the image's width and height. Sliders (or a click on the image) move the predicted
box (red); the true box (blue) surrounds the car.
"""
import ipywidgets as widgets
import numpy as np
from matplotlib.patches import Circle, Rectangle

from course import losses, plots
from course.apps.base import App

ASPECT = 0.75         # image height / width
BAR_TOP = 0.25        # the bars' scale; a taller bar is cut and its value written on it
CARS = [(0.38, 0.62, 0.34, 0.28), (0.68, 0.45, 0.22, 0.20), (0.25, 0.40, 0.18, 0.16)]


class BoundingBoxLoss(App):
    """Move the predicted box with sliders or a click; see the two terms of the loss."""

    def __init__(self, box_hat=(0.55, 0.45, 0.25, 0.35)):
        super().__init__(width=8.8, height=3.8, ncols=2, width_ratios=(1.7, 1.0))
        self.car = 0
        self.box = np.array(CARS[0])
        style = {"description_width": "initial"}
        names = ("centre x̂", "centre ŷ", "width ŵ", "height ĥ")
        self.sliders = [widgets.FloatSlider(value=v, min=0.0, max=1.0, step=0.01, description=n,
                                            style=style, readout_format=".2f")
                        for n, v in zip(names, box_hat)]
        self.next_image = widgets.Button(description="Next image", icon="image",
                                         tooltip="put the car somewhere else")
        self.readout = widgets.HTML()
        self._build_axes()
        for s in self.sliders:
            self.observe(s, lambda _c: self.update())
        self.on_click(self.next_image, self._on_next)
        self.connect("button_press_event", self._on_press)
        self.update(full=True)
        self.layout(widgets.HBox(self.sliders[:2] + [self.next_image]),
                    widgets.HBox(self.sliders[2:]), self.readout,
                    header=widgets.HTML("<b>Move the red box</b> with the sliders, or click on the "
                                        "image to put its centre there."))

    @property
    def box_hat(self):
        """The predicted box (x, y, w, h) from the sliders, each clipped to [0, 1]."""
        return np.clip([float(s.value) for s in self.sliders], 0.0, 1.0)

    # --- figure ---------------------------------------------------------------------------
    def _build_axes(self):
        ax, ax_bar = self.axes
        ax.set(xlim=(0, 1), ylim=(1, 0), aspect=ASPECT, xlabel="x (fraction of image width)",
               ylabel="y (fraction of image height)", title="The image and the two boxes")
        ax.grid(False)
        ax.add_patch(Rectangle((0, 0.78), 1, 0.22, color="#bbbbbb", zorder=0))  # the road
        self.car_parts = [Rectangle((0, 0), 1, 1, color="#7f7f7f", zorder=1),
                          Rectangle((0, 0), 1, 1, color="#9ecae1", zorder=1),
                          Circle((0, 0), 0.05, color="#222222", zorder=2),
                          Circle((0, 0), 0.05, color="#222222", zorder=2)]
        for part in self.car_parts:
            ax.add_patch(part)
        self.true_rect = Rectangle((0, 0), 1, 1, fill=False, ec=plots.TRUTH, lw=2.5, zorder=3,
                                   label="true box $(x, y, w, h)$")
        self.pred_rect = Rectangle((0, 0), 1, 1, fill=False, ec=plots.MODEL, lw=2.5, ls="--",
                                   zorder=4, label=r"predicted $(\hat x, \hat y, \hat w, \hat h)$")
        ax.add_patch(self.true_rect)
        ax.add_patch(self.pred_rect)
        self.true_centre, = ax.plot([], [], "+", color=plots.TRUTH, ms=12, mew=2, zorder=5)
        self.pred_centre, = ax.plot([], [], "x", color=plots.MODEL, ms=9, mew=2, zorder=5)
        self.link, = ax.plot([], [], ":", color=plots.MODEL, lw=1.2, zorder=5)
        ax.legend(handles=[self.true_rect, self.pred_rect], loc="upper left", fontsize=8)

        labels = ["centre term", "size term", "total $\\mathcal{L}$"]
        self.bars = ax_bar.bar(labels, [0, 0, 0], color=[plots.WARN, "#9467bd", plots.MODEL])
        ax_bar.set(ylim=(0, BAR_TOP), ylabel="loss (squared fractions)", title="The loss")
        self.bar_text = [ax_bar.text(i, 0, "", ha="center", va="bottom", fontsize=10)
                         for i in range(3)]
        self.animate(self.pred_rect, self.pred_centre, self.link, *self.bars, *self.bar_text)

    def _place_car(self):
        x, y, w, h = self.box
        body, window, wheel1, wheel2 = self.car_parts
        body.set_bounds(x - w / 2, y - h / 6, w, h / 2)
        window.set_bounds(x - w / 4, y - h / 2, w / 2, h / 3 + 0.005)
        for wheel, dx in ((wheel1, -w / 4), (wheel2, w / 4)):
            wheel.set_center((x + dx, y + h / 3))
            wheel.set_radius(h / 6)
        self.true_rect.set_bounds(x - w / 2, y - h / 2, w, h)
        self.true_centre.set_data([x], [y])

    # --- updates ----------------------------------------------------------------------------
    def update(self, full=False):
        """Recompute the loss for the current boxes and move the artists."""
        xh, yh, wh, hh = self.box_hat
        self.pred_rect.set_bounds(xh - wh / 2, yh - hh / 2, wh, hh)
        self.pred_centre.set_data([xh], [yh])
        self.link.set_data([self.box[0], xh], [self.box[1], yh])
        total, centre, size = (float(v) for v in losses.bbox_loss(self.box, self.box_hat))
        for bar, text, value in zip(self.bars, self.bar_text, (centre, size, total)):
            bar.set_height(min(value, BAR_TOP))
            text.set_position((text.get_position()[0], min(value, BAR_TOP * 0.92)))
            text.set_text(f"{value:.3f}")
        x, y, w, h = self.box
        self.readout.value = (
            f"centre term ({x:.2f} − {xh:.2f})² + ({y:.2f} − {yh:.2f})² = <b>{centre:.4f}</b>"
            f" &nbsp;+&nbsp; size term ({w:.2f} − {wh:.2f})² + ({h:.2f} − {hh:.2f})² = "
            f"<b>{size:.4f}</b> &nbsp;=&nbsp; <b style='color:{plots.MODEL}'>L = {total:.4f}</b>")
        if full:
            self._place_car()
        self.refresh(full=full)
        return total

    def _on_next(self):
        self.car = (self.car + 1) % len(CARS)
        self.box = np.array(CARS[self.car])
        self.update(full=True)

    def _on_press(self, event):
        if event.inaxes is self.axes[0] and event.xdata is not None:
            with self.sliders[0].hold_trait_notifications(), \
                    self.sliders[1].hold_trait_notifications():
                self.sliders[0].value = round(float(np.clip(event.xdata, 0, 1)), 2)
                self.sliders[1].value = round(float(np.clip(event.ydata, 0, 1)), 2)


def bench_cases():
    """Benchmark: moving the predicted box's x and width sliders."""
    def move(i, v):
        def update(app):
            app.sliders[i].value = v
        return update

    updates = [move(i % 2 * 2, v) for i, v in enumerate(np.linspace(0.2, 0.8, 30).round(2))]
    return [("BoundingBoxLoss slider", BoundingBoxLoss, updates)]
