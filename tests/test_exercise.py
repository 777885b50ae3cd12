"""The Exercise widget: an answer typed (or chosen) and checked with the lesson's own check."""
from pathlib import Path

import pytest

from course.checks import batch_size, collected, cost_functions, gradient_descent, learning_rate
from course.checks import network, optimizers
from course.checks.exercise import VERDICT_CLASS, Exercise, ask, parse_number

COURSE_TEMPLATE = Path(__file__).resolve().parent.parent / "share/jupyter/voila/templates/course/index.html.j2"


def check_with_button(exercise, *values):
    for field, value in zip(exercise.fields, values, strict=True):
        field.value = value
    exercise.button.click()
    return exercise.status


def test_a_number_typed_in_the_field_goes_through_the_lesson_check():
    ex = ask(cost_functions.cost_by_hand, None, label="J")
    assert ex.status is None and "not answered yet" in ex.verdict.value
    assert check_with_button(ex, "250") is False and "not yet" in ex.results[0][1]
    assert check_with_button(ex, str(cost_functions.house_cost())) is True
    assert ex.results == [(True, "cost by hand: right.")]
    assert check_with_button(ex, "") is None


def test_the_verdict_is_announced_in_words_not_only_by_colour_and_mark():
    ex = ask(learning_rate.one_step_lr, 0.25, curvature=4.0, label="η")
    assert ex.fields[0].description == "η" and ex.button.description == "Check"
    # the verdict widget itself is the live region (the dashboard template marks its class), so
    # the text it shows holds no live region of its own, which each update would replace
    assert VERDICT_CLASS in ex.verdict._dom_classes and "aria-live" not in ex.verdict.value
    assert VERDICT_CLASS in COURSE_TEMPLATE.read_text()
    right = '<span aria-hidden="true">✔</span> the one-step learning rate: right.'
    assert right in ex.verdict.value


def test_the_answer_written_in_the_cell_fills_the_field_and_is_checked_at_once():
    ex = ask(learning_rate.largest_lr, 0.5, curvature=4.0)
    assert ex.fields[0].value == "0.5" and ex.status is True
    pair = ask(gradient_descent.one_step_answer, (1.3, 0.8), label=("w", "b"))
    assert [f.value for f in pair.fields] == ["1.3", "0.8"] and pair.status is True
    assert check_with_button(pair, "0.8", "1.3") is False


def test_fractions_and_exponents_are_numbers_and_other_text_is_refused_kindly():
    assert parse_number(" 1/4 ") == 0.25 and parse_number("1e-3") == 0.001
    assert parse_number("  ") is None
    for text in ("abc", "inf", "nan", "1/0", "1e400", "0,25", "x" * 10_000):
        with pytest.raises(ValueError, match="is not a number"):
            parse_number(text)
    ex = ask(batch_size.noise_factor, None)
    assert check_with_button(ex, "four") is False
    assert "'four' is not a number: write a number such as 0.25" in ex.results[0][1]
    assert check_with_button(ex, "8/2") is True


def test_a_pair_checks_both_numbers_and_says_which_is_missing():
    ex = ask(batch_size.epoch, (None, None), 1000, 64, label=("steps", "last batch"))
    assert ex.status is None and len(ex.results) == 2
    assert check_with_button(ex, "16", "") is None
    assert [s for s, _ in ex.results] == [True, None]
    assert check_with_button(ex, "16", "0") is False
    assert check_with_button(ex, "16", "40") is True


def test_a_choice_is_preselected_from_the_cell_and_can_be_changed():
    ex = ask(cost_functions.minimum_moves, "b", choices=["a", "b", "c"], label="the star")
    assert ex.fields[0].value == "b" and ex.status is False
    assert check_with_button(ex, "a") is True
    results = {b: {"settled": s, "trapped": 0.1} for b, s in ((1, 0.2), (8, 0.9), (64, 0.1))}
    ex = ask(batch_size.best_batch, None, results, choices=sorted(results))
    assert ex.fields[0].value is None and ex.status is None
    assert [label for label, _ in ex.fields[0].options] == ["1", "8", "64"]
    assert check_with_button(ex, 8) is True


def test_the_function_written_in_the_cell_is_offered_first():
    def my_squared_loss(y, y_hat):
        return None

    ex = ask(cost_functions.squared_loss, my_squared_loss,
             choices=cost_functions.SQUARED_LOSS_CHOICES)
    label, value = ex.fields[0].options[0]
    assert value is my_squared_loss and "code cell" in label
    assert ex.fields[0].value is my_squared_loss and ex.status is None


@pytest.mark.parametrize("check, choices", [
    (cost_functions.squared_loss, cost_functions.SQUARED_LOSS_CHOICES),
    (gradient_descent.cost_gradient, gradient_descent.COST_GRADIENT_CHOICES),
    (optimizers.rmsprop_update, optimizers.RMSPROP_CHOICES),
    (network.output_delta, network.OUTPUT_DELTA_CHOICES),
])
def test_each_code_exercise_has_exactly_one_right_choice(check, choices):
    ex = ask(check, None, choices=choices)
    verdicts = [check_with_button(ex, fn) for _, fn in choices]
    assert verdicts.count(True) == 1 and verdicts.count(False) == len(choices) - 1


def test_collected_results_are_what_the_widget_shows():
    with collected() as results:
        assert optimizers.adam_correction(0.001999) is True
    ex = Exercise(optimizers.adam_correction, 0.001999)
    assert ex.results == results == [(True, "Adam's divisor for S at t = 2: right.")]


def test_verdict_colours_meet_the_wcag_aa_contrast_on_white():
    from course.checks import _STYLE

    def luminance(hex_colour):
        c = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    for colour, _ in _STYLE.values():
        assert 1.05 / (luminance(colour) + 0.05) >= 4.5, colour
