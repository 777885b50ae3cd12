"""One axis drawn in parts: its label into a cached image, its ticks in a layer of their own.

Drawing text is what costs, so an app whose x axis changes with a slider (``batches``) caches
everything but the ticks and draws those alone. matplotlib draws an axis as one piece; the
parts come from its private ``Axis._update_ticks`` and ``Axis._update_label_position``, checked
once by :func:`axis_parts_work`. Without them the whole axis (ticks and label) is drawn in the
layer: the same picture, a little slower.
"""
import functools

from matplotlib.axis import Axis


@functools.cache
def axis_parts_work():
    """Whether matplotlib still has the private methods that draw an axis in parts."""
    return all(callable(getattr(Axis, name, None))
               for name in ("_update_ticks", "_update_label_position"))


def draw_axis_label(axis, renderer):
    """Draw the label of ``axis`` (an XAxis or YAxis) alone, if the axis is animated: a full draw
    leaves such an axis out, label and all, so its label goes into the cached image of the rest
    and the layer draws only the ticks (:func:`draw_ticks`)."""
    if axis.get_animated() and axis_parts_work():
        axis._update_label_position(renderer)
        axis.label.draw(renderer)


def draw_ticks(axis, renderer):
    """Draw the ticks of ``axis`` and their labels, not the axis label, then the spines of its
    axes over them, as a full draw orders them (the whole axis when the parts cannot be drawn)."""
    if axis_parts_work():
        for tick in axis._update_ticks():
            tick.draw(renderer)
    else:
        axis.draw(renderer)
    for spine in axis.axes.spines.values():
        spine.draw(renderer)
