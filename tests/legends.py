"""Checks that a legend's text stays clear of what an app draws, in every state a test renders."""
import numpy as np



def _overlap(a, b):
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def check_legend_clear(ax):
    """Draw ``ax``'s figure; its legend lies outside the data area (every line, marker and path
    of the axes is clipped to it, to its box or its patch) and off the x axis' tick labels and label."""
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    legend = ax.get_legend()
    box = legend.get_window_extent(renderer)
    assert not _overlap(box, ax.bbox), f"the legend {box} crosses the data area {ax.bbox}"
    for artist in [*ax.lines, *ax.collections, *ax.patches]:
        if artist.get_visible():
            clip = artist.get_clip_box()
            clipped = (artist.get_clip_path() is not None
                       or clip is not None and np.allclose(clip.extents, ax.bbox.extents))
            assert artist.get_clip_on() and clipped, f"{artist} is not clipped to the axes"
    words = [ax.xaxis.label, *ax.get_xticklabels()]
    for text in words:
        if text.get_visible() and text.get_text():
            assert not _overlap(box, text.get_window_extent(renderer)), text.get_text()
    assert fig.bbox.x0 <= box.x0 and box.x1 <= fig.bbox.x1 and fig.bbox.y0 <= box.y0, \
        "the legend is cut by the figure's edge"
    return legend


def check_truth_shows_on_the_star(truth, star):
    """The ground-truth dot is drawn over the least-squares star and is smaller than it, so that
    where they meet the star's tips show around the dot; the legend names both markers."""
    assert truth.get_zorder() > star.get_zorder(), "the truth is drawn under the star"
    assert star.get_marker() == "*" and truth.get_marker() == "o"
    # the star's tips reach past the dot and its edge (marker sizes and edge widths in points)
    assert star.get_markersize() / 2 > truth.get_markersize() / 2 + truth.get_markeredgewidth() + 1
    legend = truth.axes.get_legend()
    keys = dict(zip((t.get_text() for t in legend.get_texts()), legend.get_lines()))
    assert keys[truth.get_label()].get_marker() == "o"
    assert keys[truth.get_label()].get_markerfacecolor() == truth.get_markerfacecolor()
    assert keys[star.get_label()].get_marker() == "*"
