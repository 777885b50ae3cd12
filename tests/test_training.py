"""course.training.train: determinism, learning, early stopping, divergence, every optimizer."""
import numpy as np
import pytest

from course.data import Digits, digits
from course.nn import Network
from course.optimizers import OPTIMIZERS, SGD, Adam, make
from course.training import BLOWUP, repeat, train


@pytest.fixture(scope="module")
def data():
    return digits(0)


def small(data, n=200):
    """A quick subset: n training examples, the full validation set."""
    return Digits(data.X_train[:n], data.y_train[:n], data.X_val, data.y_val, data.X_test, data.y_test)


def test_same_seed_same_run_other_seed_other_run(data):
    runs = []
    for seed in (0, 0, 1):
        net = Network([64, 16, 10], seed=0)
        h = train(net, SGD(lr=0.1), small(data), epochs=3, batch_size=16, seed=seed)
        runs.append((h.val_cost, net.params))
    assert runs[0][0] == runs[1][0]
    assert all(np.array_equal(p, q) for p, q in zip(runs[0][1], runs[1][1]))
    assert runs[0][0] != runs[2][0]


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_every_optimizer_learns_the_digits(data, name):
    lr = {"SGD": 0.2, "Momentum": 0.3, "Nesterov": 0.3, "Adagrad": 0.05, "RMSprop": 0.005, "Adam": 0.005}[name]
    net = Network([64, 32, 10], seed=0)
    h = train(net, make(name, lr=lr), data, epochs=8, batch_size=32)
    assert h.val_cost[-1] < 0.5 * h.val_cost[0]
    assert net.accuracy(data.X_test, data.y_test) > 0.85
    assert h.steps == 8 * 34 and h.epochs == 8 and h.diverged_at == -1   # 1078 = 33 * 32 + 22


def test_one_flat_step_equals_the_update_rule_on_each_array(data):
    # Adam over the flat vector must move every array as Adam on that array alone would
    net = Network([64, 8, 10], seed=2, dtype=np.float64)
    start = [p.copy() for p in net.params]
    one = Digits(data.X_train[:32], data.y_train[:32], data.X_val, data.y_val, data.X_test, data.y_test)
    train(net, Adam(lr=0.01), one, epochs=1, batch_size=32)
    ref = Network([64, 8, 10], seed=2, dtype=np.float64)
    _, grads = ref.gradients(one.X_train, one.y_train)   # one batch = the whole (shuffled) set
    for p0, g, p in zip(start, grads, net.params):
        expected = Adam(lr=0.01).step(p0, g)
        np.testing.assert_allclose(p, expected, rtol=1e-9, atol=1e-12)


def test_history_records_every_epoch_and_callback_sees_it(data):
    seen = []
    net = Network([64, 16, 10], seed=0)
    h = train(net, SGD(lr=0.1), small(data), epochs=4, callback=lambda hist: seen.append(hist.epochs))
    assert seen == [0, 1, 2, 3, 4]
    for series in (h.train_cost, h.val_cost, h.train_accuracy, h.val_accuracy, h.weight_norm):
        assert len(series) == 5
    assert h.train_cost[-1] < h.train_cost[0]
    assert "trained 4 epochs" in h.message()


def test_early_stopping_restores_the_best_epoch(data):
    # 60 examples and a wide net: it overfits quickly and the validation cost turns up
    net = Network([64, 128, 10], seed=0)
    h = train(net, Adam(lr=0.01), small(data, 60), epochs=200, batch_size=10, patience=3)
    assert h.stopped_early and h.epochs < 200
    assert h.epochs - h.best_epoch == 3
    assert h.val_cost[h.best_epoch] == min(h.val_cost)
    assert net.cost(data.X_val, data.y_val) == pytest.approx(h.val_cost[h.best_epoch], rel=1e-5)
    assert "stopped early" in h.message()


def test_l2_shrinks_the_weights(data):
    norms = []
    for l2 in (0.0, 0.03):
        net = Network([64, 32, 10], seed=0)
        h = train(net, SGD(lr=0.2), small(data, 400), epochs=10, l2=l2)
        norms.append(h.weight_norm[-1])
    assert norms[1] < 0.8 * norms[0]


def test_a_huge_learning_rate_diverges_without_warnings(data):
    net = Network([64, 32, 10], seed=0)
    before = [p.copy() for p in net.params]
    h = train(net, SGD(lr=50.0), data, epochs=5)
    assert h.diverged_at == 1 and h.epochs == 1
    assert h.train_cost[1] > BLOWUP * h.train_cost[0]
    assert "diverged at epoch 1" in h.message()
    assert all(np.array_equal(p, q) for p, q in zip(before, net.params))   # best = untrained


def test_non_finite_parameters_stop_at_once(data):
    class Overflow(SGD):
        def update(self, W, dW, lr):       # a step past the largest float: every weight inf
            return W - 1e308 * 10 * np.sign(dW + 0.5)

    net = Network([64, 8, 10], seed=0, dtype=np.float64)
    h = train(net, Overflow(lr=0.1), small(data, 64), epochs=3, batch_size=32)
    assert h.diverged_at == 1 and h.steps <= 1
    assert all(np.isfinite(p).all() for p in net.params)


@pytest.mark.parametrize("kwargs, name", [({"epochs": -1}, "epochs"), ({"batch_size": 0}, "batch_size"),
                                          ({"patience": 0}, "patience"), ({"l2": -0.1}, "l2"),
                                          ({"epochs": 2.5}, "epochs")])
def test_bad_arguments_raise(data, kwargs, name):
    with pytest.raises(ValueError, match=name):
        train(Network([64, 10]), SGD(lr=0.1), small(data), **kwargs)


def test_optimizer_must_be_a_course_optimizer(data):
    with pytest.raises(ValueError, match="optimizer"):
        train(Network([64, 10]), "SGD", small(data))


def test_keep_best_false_keeps_the_last_epoch(data):
    net = Network([64, 128, 10], seed=0)
    h = train(net, Adam(lr=0.01), small(data, 60), epochs=30, batch_size=10, keep_best=False)
    assert h.best_epoch < 30       # it overfits: the last epoch is not the best
    assert net.cost(data.X_val, data.y_val) == pytest.approx(h.val_cost[-1], rel=1e-5)


def test_repeat_stacks_one_run_per_seed(data):
    r = repeat(small(data), SGD(lr=0.2), seeds=[3, 4], sizes=(64, 8, 10), epochs=3)
    assert r.val_cost.shape == r.train_cost.shape == r.weight_norm.shape == (2, 4)
    net = Network([64, 8, 10], seed=4)
    h = train(net, SGD(lr=0.2), small(data), epochs=3, seed=4, keep_best=False)
    np.testing.assert_allclose(r.val_cost[1], h.val_cost)
    assert r.test_accuracy[1] == net.accuracy(data.X_test, data.y_test)
    with pytest.raises(ValueError, match="stopped after"):
        repeat(small(data), SGD(lr=50.0), seeds=[0], epochs=3)
