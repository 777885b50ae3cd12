"""NetworkTrainer without a browser: settings, the Train button, live callbacks, results."""
import numpy as np
import pytest

from course import plots
from course.apps.trainer import COLS, DEFAULT_LR, DX, DY, LEARNING_RATES, ROWS, NetworkTrainer


@pytest.fixture(scope="module")
def app():
    return NetworkTrainer(epochs=6, train_now=False)


def test_built_without_training_says_press_train(app):
    assert app.history is None
    assert "press <b>Train</b>" in app.readout.value
    assert len(app.train_line.get_xdata()) == 0
    assert app.output.outputs == ()


def test_train_button_trains_and_shows_every_epoch(app):
    seen = []
    app._on_epoch = lambda h, draw=app._on_epoch: (seen.append(h.epochs), draw(h))[1]
    app.optimizer.value = "Adam"
    assert app.lr.value == pytest.approx(DEFAULT_LR["Adam"])
    app.epochs.value = 6
    app.patience.value = 0
    app.button.click()
    del app._on_epoch
    assert app.output.outputs == ()
    assert seen == list(range(7))
    h = app.history
    np.testing.assert_allclose(app.train_line.get_ydata(), np.clip(h.train_cost, 1e-3, 30))
    np.testing.assert_allclose(app.val_line.get_xdata(), np.arange(7))
    assert app.train_line.get_color() == plots.OPTIMIZER_COLORS["Adam"]
    assert app.progress.value == 6 == app.progress.max
    assert not app.button.disabled


def test_readout_and_misclassified_grid_match_the_network(app):
    d = app.data
    wrong = np.flatnonzero(app.net.predict(d.X_test) != d.y_test)
    accuracy = 1 - len(wrong) / len(d.y_test)
    assert f"test accuracy {accuracy:.1%}" in app.readout.value
    assert accuracy > 0.8
    tile = app.mosaic.get_array()
    shown = min(len(wrong), ROWS * COLS)
    for j in range(ROWS * COLS):
        r, c = divmod(j, COLS)
        block = tile[r * DY:r * DY + 8, c * DX:c * DX + 8]
        if j < shown:
            np.testing.assert_allclose(block, d.images(d.X_test[wrong[j]])[0])
            assert app.labels[j].get_text() == f"{d.y_test[wrong[j]]}→{app.net.predict(d.X_test[wrong[j:j + 1]])[0]}"
        else:
            assert np.ma.getmaskarray(block).all() and app.labels[j].get_text() == ""
    assert f"{len(wrong)} of 360" in app.axes[1].get_title()


def test_early_stopping_and_best_epoch_marker():
    app = NetworkTrainer(optimizer="Adam", lr=0.05, hidden=128, epochs=60, patience=2, train_now=True)
    h = app.history
    assert h.stopped_early and h.epochs < 60
    assert app.best_line.get_xdata()[0] == h.best_epoch
    assert "stopped early" in app.readout.value
    assert app.output.outputs == ()


def test_divergence_is_a_message_not_an_error():
    app = NetworkTrainer(optimizer="Adam", lr=10.0, epochs=5, train_now=True)
    assert "diverged at epoch" in app.readout.value
    assert app.output.outputs == ()


def test_settings_change_says_press_train_again(app):
    app.batch.value = 128
    assert "9 steps per epoch" in app.readout.value     # ceil(1078 / 128)
    assert "settings changed" in app.readout.value


def test_learning_rates_sit_on_a_log_scale_and_any_start_snaps_to_it():
    assert np.allclose(np.diff(np.log10(LEARNING_RATES[::2])), 1)      # 1e-4, 1e-3, ... 10
    app = NetworkTrainer(lr=0.25, train_now=False)
    assert app.lr.value == 0.3 and app.settings()["lr"] == 0.3


def test_every_optimizer_gets_its_starting_learning_rate(app):
    for name, lr in DEFAULT_LR.items():
        app.optimizer.value = name
        assert app.lr.value == lr and name in app.readout.value
    assert app.output.outputs == ()
