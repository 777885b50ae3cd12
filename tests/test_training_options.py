"""course.training.train's warm-up and gradient clipping: the arithmetic by hand, and the two
seeded runs of lesson 9 that fail without the option and train with it."""
import numpy as np
import pytest

from course.data import Digits, digits
from course.nn import Network
from course.optimizers import SGD, Adam
from course.schedules import cosine
from course.training import clip_by_norm, train


@pytest.fixture(scope="module")
def data():
    return digits(0)


def test_clip_by_norm_by_hand():
    np.testing.assert_allclose(clip_by_norm(np.array([3.0, 4.0]), 1.0), [0.6, 0.8])   # norm 5 -> 1
    np.testing.assert_array_equal(clip_by_norm(np.array([3.0, 4.0]), 5.0), [3.0, 4.0])
    np.testing.assert_array_equal(clip_by_norm(np.array([0.3, 0.4]), 1.0), [0.3, 0.4])
    with pytest.raises(ValueError, match="max_norm"):
        clip_by_norm(np.ones(2), 0.0)


def test_a_clipped_sgd_step_has_length_lr_times_the_clip(data):
    one = Digits(data.X_train[:64], data.y_train[:64], data.X_val, data.y_val, data.X_test, data.y_test)
    net = Network([64, 8, 10], seed=1, dtype=np.float64)
    before = np.concatenate([p.ravel() for p in net.params])
    _, grads = net.gradients(one.X_train, one.y_train)
    assert np.linalg.norm(np.concatenate([g.ravel() for g in grads])) > 0.05   # so it is clipped
    train(net, SGD(lr=2.0), one, epochs=1, batch_size=64, clip=0.05)
    after = np.concatenate([p.ravel() for p in net.params])
    assert np.linalg.norm(after - before) == pytest.approx(2.0 * 0.05, rel=1e-9)


def test_warmup_ramps_the_rate_and_gives_the_optimizer_its_rate_back(data):
    opt = SGD(lr=0.5)
    seen = []
    train(Network([64, 8, 10], seed=0), opt, data, epochs=2, warmup=100,
          callback=lambda h: seen.append(opt.current_lr() if h.epochs else None))
    assert seen[1:] == [pytest.approx(0.5 * 34 / 100), pytest.approx(0.5 * 68 / 100)]  # 34 steps an epoch
    assert opt.lr == 0.5


def test_warmup_rescues_adam_on_the_sigmoid_network(data):
    """Lesson 9: Adam at 0.3 with a cosine decay wrecks the sigmoid network in its first steps;
    100 steps of warm-up let it train."""
    results = {}
    for warmup in (0, 100):
        h = train(Network([64, 32, 10], activation="sigmoid", seed=0), Adam(lr=cosine(0.3, total=340)),
                  data, epochs=10, batch_size=32, seed=0, warmup=warmup)
        results[warmup] = min(h.val_cost)
    assert results[0] > 1.0 and results[100] < 0.1


def test_clipping_rescues_sgd_on_the_sigmoid_network(data):
    """Lesson 9: SGD at lr 20 diverges in its first epoch; clipping the gradient's norm at 0.1
    lets the same run train."""
    plain = train(Network([64, 32, 10], activation="sigmoid", seed=0), SGD(lr=20), data, epochs=10,
                  batch_size=32, seed=0)
    clipped = train(Network([64, 32, 10], activation="sigmoid", seed=0), SGD(lr=20), data,
                    epochs=10, batch_size=32, seed=0, clip=0.1)
    assert plain.diverged_at == 1 and "diverged at epoch 1" in plain.message()
    assert clipped.diverged_at == -1 and min(clipped.val_cost) < 0.1


def test_warmup_does_not_save_a_rate_that_is_too_large(data):
    """Lesson 9's caveat: with SGD at lr 20 warm-up only postpones the divergence."""
    h = train(Network([64, 32, 10], activation="sigmoid", seed=0), SGD(lr=20), data, epochs=10,
              batch_size=32, seed=0, warmup=100)
    assert h.diverged_at > 1


@pytest.mark.parametrize("kw, name", [({"warmup": -1}, "warmup"), ({"clip": 0}, "clip"),
                                      ({"clip": float("nan")}, "clip")])
def test_bad_options_are_refused(data, kw, name):
    with pytest.raises(ValueError, match=name):
        train(Network([64, 8, 10]), SGD(0.1), data, epochs=1, **kw)
