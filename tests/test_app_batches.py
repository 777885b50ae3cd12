"""BatchesApp without a browser: steps walk through the batches, every example once per epoch."""
import numpy as np

from course.apps.batches import EPOCHS, BatchesApp
from layers import layered_pixels, plain_draw


def test_one_epoch_uses_every_example_once_then_reshuffles():
    app = BatchesApp(n=24, batch_size=5)
    seen = []
    for k in range(1, 6):
        app.player.step()
        current = app.current.get_xdata()
        assert len(current) == (5 if k < 5 else 4)          # 24 = 4 x 5 + 4
        seen.append(app.batch(k))
    seen = np.concatenate(seen)
    assert sorted(seen) == list(range(24))
    assert "<b>5</b> steps per epoch" in app.readout.value and "4 × 5 + 4" in app.readout.value
    app.player.step()                                         # first batch of epoch 2
    assert "epoch 2, batch 1 of 5" in app.readout.value
    assert not np.array_equal(app.orders[0], app.orders[1])
    assert len(app.used.get_xdata()) == 0
    assert app.output.outputs == ()


def test_batch_size_change_resets_and_moves_the_cuts():
    app = BatchesApp(n=24, batch_size=5)
    app.player.step()
    app.b_slider.value = 8
    assert app.player.k == 0
    assert len(app.cuts.get_segments()) == 2                  # 3 batches of 8
    assert app.player.max_steps == EPOCHS * 3
    app.b_slider.value = 24                                   # the whole set: one batch, no cut
    assert len(app.cuts.get_segments()) == 0
    app.b_slider.value = 64                                   # larger than n: clamped to n
    app.player.step()
    assert len(app.current.get_xdata()) == 24
    assert app.output.outputs == ()


def test_changing_n_redraws_the_orders_and_the_step_stops_at_the_end():
    app = BatchesApp(n=24, batch_size=5)
    app.n_slider.value = 10
    assert app.orders.shape == (EPOCHS, 10)
    assert app.axes[1].get_xlim() == (-0.5, 9.5)
    for _ in range(app.player.max_steps + 3):
        app.player.step()
    assert app.player.k == app.player.max_steps == EPOCHS * 2
    assert f"epoch {EPOCHS}, batch 2 of 2" in app.readout.value
    assert app.output.outputs == ()


def test_a_new_n_is_one_frame_over_the_cached_rest_with_the_pixels_of_a_full_draw():
    app = BatchesApp(n=24, batch_size=5)
    c = app.fig.canvas
    c.draw()
    idle, frames = [], []
    c.draw_idle = lambda *a, **k: idle.append(1)
    blit = c.blit
    c.blit = lambda *a, **k: (frames.append(1), blit(*a, **k))
    app.player.step()
    frames.clear()
    app.n_slider.value = 37                     # new orders, new ticks on the x axis below them
    assert idle == [] and frames == [1], "one blitted frame, the y axis and the data panel are not drawn again"
    c.restore_region(app._background)           # what the update left under the moving artists
    shown = np.asarray(c.get_renderer().buffer_rgba()).copy()
    app.n_slider.value = 4                      # the fewest examples: most columns out of sight
    again = layered_pixels(app)
    assert app.axes[1].get_xlim() == (-0.5, 3.5)
    np.testing.assert_array_equal(again, plain_draw(app))
    app.n_slider.value = 37
    reference = plain_draw(app)
    np.testing.assert_array_equal(shown, reference)
    assert app.output.outputs == ()
