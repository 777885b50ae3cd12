"""The optimizer colours stay apart for readers with a colour-vision deficiency, and colour is
never the only cue: in the figures that show several optimizers each one also has its own marker
shape or a label.

Simulation: Machado, Oliveira and Fernandes (2009), "A physiologically-based model for simulation
of color vision deficiency", IEEE TVCG 15(6), 1291-1298: one 3 x 3 matrix per deficiency at
severity 1 (protanopia, deuteranopia, tritanopia), applied to linear sRGB. Difference: CIEDE2000
(Sharma, Wu and Dalal 2005, "The CIEDE2000 color-difference formula: implementation notes..."),
computed here in numpy and checked against their published test pairs. A difference of about 1
is just noticeable between two large patches side by side; thin lines and small markers far
apart on a plot need much more, hence the threshold of 10.
"""
import itertools

import numpy as np
import pytest
from matplotlib.colors import to_hex, to_rgb

from course import plots

MIN_DELTA_E = 10.0
MACHADO_2009 = {   # severity 1.0, rows give linear R, G, B
    "protanopia": [[0.152286, 1.052583, -0.204868],
                   [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968],
                     [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779],
                   [-0.078411, 0.930809, 0.147602],
                   [0.004733, 0.691367, 0.308900]],
}
SRGB_TO_XYZ = np.array([[0.4124564, 0.3575761, 0.1804375],   # D65
                        [0.2126729, 0.7151522, 0.0721750],
                        [0.0193339, 0.1191920, 0.9503041]])
WHITE = np.array([0.95047, 1.0, 1.08883])


def linear(rgb):
    """sRGB in [0, 1] -> linear light."""
    rgb = np.asarray(rgb, dtype=float)
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def simulate(colour, deficiency=None):
    """Linear RGB of ``colour`` as seen with ``deficiency`` (None: normal vision)."""
    rgb = linear(to_rgb(colour))
    return rgb if deficiency is None else np.clip(np.array(MACHADO_2009[deficiency]) @ rgb, 0, 1)


def lab(rgb):
    """Linear sRGB -> CIELAB (D65)."""
    t = SRGB_TO_XYZ @ rgb / WHITE
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def ciede2000(lab1, lab2):
    """CIEDE2000 colour difference of two CIELAB colours (kL = kC = kH = 1)."""
    (L1, a1, b1), (L2, a2, b2) = lab1, lab2
    C_mean = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    G = 0.5 * (1 - np.sqrt(C_mean**7 / (C_mean**7 + 25**7)))
    a1, a2 = (1 + G) * a1, (1 + G) * a2
    C1, C2 = np.hypot(a1, b1), np.hypot(a2, b2)
    h1, h2 = np.degrees(np.arctan2(b1, a1)) % 360, np.degrees(np.arctan2(b2, a2)) % 360
    dh = 0.0 if C1 * C2 == 0 else (h2 - h1 + 180) % 360 - 180
    dL, dC, dH = L2 - L1, C2 - C1, 2 * np.sqrt(C1 * C2) * np.sin(np.radians(dh / 2))
    L_mean, C_mean = (L1 + L2) / 2, (C1 + C2) / 2
    if C1 * C2 == 0:
        h_mean = h1 + h2
    elif abs(h1 - h2) <= 180:
        h_mean = (h1 + h2) / 2
    else:
        h_mean = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    T = (1 - 0.17 * np.cos(np.radians(h_mean - 30)) + 0.24 * np.cos(np.radians(2 * h_mean))
         + 0.32 * np.cos(np.radians(3 * h_mean + 6)) - 0.20 * np.cos(np.radians(4 * h_mean - 63)))
    S_L = 1 + 0.015 * (L_mean - 50) ** 2 / np.sqrt(20 + (L_mean - 50) ** 2)
    S_C, S_H = 1 + 0.045 * C_mean, 1 + 0.015 * C_mean * T
    R_T = (-2 * np.sqrt(C_mean**7 / (C_mean**7 + 25**7))
           * np.sin(np.radians(60 * np.exp(-(((h_mean - 275) / 25) ** 2)))))
    return float(np.sqrt((dL / S_L) ** 2 + (dC / S_C) ** 2 + (dH / S_H) ** 2
                         + R_T * (dC / S_C) * (dH / S_H)))


@pytest.mark.parametrize("lab1, lab2, expected", [     # Sharma, Wu and Dalal (2005), table 1
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((50.0, 2.5, 0.0), (61.0, -5.0, 29.0), 22.8977),
    ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),
])
def test_ciede2000_gives_the_published_differences(lab1, lab2, expected):
    assert ciede2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)
    assert ciede2000(lab2, lab1) == pytest.approx(expected, abs=1e-4)


def test_the_simulation_confuses_what_each_deficiency_is_known_to_confuse():
    # the model sees something: red and green come close for protanopes and deuteranopes, not
    # for tritanopes; blue and green for tritanopes, not for the others; purple and blue for
    # protanopes
    def gap(a, b, deficiency):
        return ciede2000(lab(simulate(a, deficiency)), lab(simulate(b, deficiency)))
    red, green, blue, purple = "#d62728", "#2ca02c", "#1f77b4", "#9467bd"
    assert gap(red, green, "protanopia") < gap(red, green, None) / 2
    assert gap(red, green, "deuteranopia") < gap(red, green, None) / 10
    assert gap(red, green, "tritanopia") > gap(red, green, None) * 0.8
    assert gap(blue, green, "tritanopia") < gap(blue, green, None) / 2
    assert min(gap(blue, green, "protanopia"), gap(blue, green, "deuteranopia")) > gap(blue, green, None) * 0.8
    assert gap(purple, blue, "protanopia") < 3 < MIN_DELTA_E < gap(purple, blue, None)


@pytest.mark.parametrize("deficiency", [None, *MACHADO_2009])
def test_every_two_optimizer_colours_stay_apart(deficiency):
    seen = {name: lab(simulate(c, deficiency)) for name, c in plots.OPTIMIZER_COLORS.items()}
    close = [(a, b, round(ciede2000(seen[a], seen[b]), 1)) for a, b in itertools.combinations(seen, 2)
             if ciede2000(seen[a], seen[b]) < MIN_DELTA_E]
    assert not close, f"with {deficiency or 'normal vision'} these pairs are closer than {MIN_DELTA_E}: {close}"


@pytest.mark.parametrize("deficiency", [None, *MACHADO_2009])
def test_optimizer_colours_stay_apart_from_the_model(deficiency):
    # the model's red marks the current point in the figures that show optimizers (the race, the
    # bowls, the trainer); the truth's blue is in the data figures, which show no optimizer
    seen = {name: lab(simulate(c, deficiency)) for name, c in plots.OPTIMIZER_COLORS.items()}
    mark = lab(simulate(plots.MODEL, deficiency))
    close = {n: round(ciede2000(c, mark), 1) for n, c in seen.items() if ciede2000(c, mark) < MIN_DELTA_E}
    assert not close, f"with {deficiency or 'normal vision'}, closer than {MIN_DELTA_E} to the model's red: {close}"


def contrast_on_white(colour):
    """WCAG 2.1 contrast ratio of ``colour`` against white: 1.05 / (relative luminance + 0.05)."""
    luminance = np.array([0.2126, 0.7152, 0.0722]) @ linear(to_rgb(colour))
    return 1.05 / (luminance + 0.05)


def test_wcag_contrast_ratio_of_known_colours():
    assert contrast_on_white("#000000") == pytest.approx(21.0)
    assert contrast_on_white("#777777") == pytest.approx(4.48, abs=0.01)   # the well-known 4.48:1


@pytest.mark.parametrize("name", list(plots.OPTIMIZER_COLORS))
def test_optimizer_lines_have_graphics_contrast_on_white(name):
    # WCAG 2.1 success criterion 1.4.11: graphics needed to understand a figure, 3:1
    assert contrast_on_white(plots.OPTIMIZER_COLORS[name]) >= 3.0


def test_ground_truth_is_blue_and_the_model_red():
    r, g, b = to_rgb(plots.TRUTH)
    assert b > r and b > g
    r, g, b = to_rgb(plots.MODEL)
    assert r > g and r > b


def test_each_optimizer_has_its_own_marker_shape():
    assert set(plots.OPTIMIZER_MARKERS) == set(plots.OPTIMIZER_COLORS)
    assert len(set(plots.OPTIMIZER_MARKERS.values())) == len(plots.OPTIMIZER_MARKERS)
    assert len(set(plots.OPTIMIZER_SYMBOLS.values())) == len(plots.OPTIMIZER_SYMBOLS)


def _cues(fig):
    """Optimizer name -> the markers and the labels of the figure's lines drawn in its colour."""
    names = {to_hex(c): n for n, c in plots.OPTIMIZER_COLORS.items()}
    cues = {}
    for ax in fig.axes:
        for line in ax.get_lines():
            name = names.get(to_hex(line.get_color()))
            if name is None:
                continue
            markers, labels = cues.setdefault(name, (set(), set()))
            if line.get_marker() not in (None, "None", "none", "", " "):
                markers.add(line.get_marker())
            if not line.get_label().startswith("_"):
                labels.add(line.get_label())
    return cues


@pytest.mark.parametrize("make", ["race", "momentum"])
def test_in_every_multi_optimizer_app_each_optimizer_has_a_marker_or_a_label_of_its_own(make):
    if make == "race":
        from course.apps.race import OptimizerRace as App
    else:
        from course.apps.momentum import MomentumBowl as App
    cues = _cues(App().fig)
    assert len(cues) >= 3
    for name, (markers, labels) in cues.items():
        others = [cue for n, cue in cues.items() if n != name]
        own_marker = any(all(m not in o[0] for o in others) for m in markers)
        own_label = any(all(lab_ not in o[1] for o in others) for lab_ in labels)
        assert own_marker or own_label, f"{name}: only its colour tells it apart ({markers}, {labels})"
