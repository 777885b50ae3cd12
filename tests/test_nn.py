"""course.nn: shapes, initialization, the cost, and backprop against independent references."""
import numpy as np
import pytest

from course import losses
from course.data import digits
from course.nn import Network, count_parameters, gradient_check, relu, sigmoid, softmax
from course.optimizers import Adam
from course.training import train


@pytest.fixture(scope="module")
def data():
    return digits(0)


def test_count_parameters_matches_seed_shallow_net():
    assert count_parameters([784, 64, 10]) == 784 * 64 + 64 + 64 * 10 + 10 == 50890
    assert count_parameters([2, 1]) == 3


def test_count_parameters_equals_sizes_of_params():
    net = Network([64, 20, 15, 10])
    assert sum(p.size for p in net.params) == count_parameters(net.sizes)
    assert [p.shape for p in net.params] == [(64, 20), (20,), (20, 15), (15,), (15, 10), (10,)]


@pytest.mark.parametrize("sizes", [[10], [], [3, 0], [3, 2.5], "64,10", [3, True]])
def test_bad_sizes_raise(sizes):
    with pytest.raises(ValueError, match="sizes"):
        Network(sizes)


def test_bad_activation_and_dtype_raise():
    with pytest.raises(ValueError, match="activation"):
        Network([4, 2], activation="tanh")
    with pytest.raises(ValueError, match="dtype"):
        Network([4, 2], dtype=np.int64)


def test_seeded_initialization_he_and_xavier():
    a, b, c = Network([400, 300, 10], seed=1), Network([400, 300, 10], seed=1), Network([400, 300, 10], seed=2)
    assert all(np.array_equal(p, q) for p, q in zip(a.params, b.params))
    assert not np.array_equal(a.params[0], c.params[0])
    assert a.params[0].std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)          # He
    s = Network([400, 300, 10], activation="sigmoid", seed=1)
    assert s.params[0].std() == pytest.approx(np.sqrt(2 / 700), rel=0.02)          # Xavier
    assert not np.any(a.params[1]) and a.params[0].dtype == np.float32


def test_activations_and_softmax():
    z = np.array([-800.0, -1.0, 0.0, 2.0, 800.0])
    np.testing.assert_allclose(relu(z), [0, 0, 0, 2, 800])
    np.testing.assert_allclose(sigmoid(z[1:4]), 1 / (1 + np.exp(-z[1:4])), rtol=1e-12)
    assert sigmoid(z)[0] == 0.0 and sigmoid(z)[-1] == 1.0        # no overflow warning
    P = softmax(np.array([[1000.0, 1000.0, 0.0], [0.0, np.log(3.0), -np.inf]]))
    np.testing.assert_allclose(P, [[0.5, 0.5, 0.0], [0.25, 0.75, 0.0]], atol=1e-15)


def test_cost_is_mean_cross_entropy_of_course_losses_plus_l2(data):
    net = Network([64, 16, 10], seed=3, dtype=np.float64)
    X, y = data.X_train[:50], data.y_train[:50]
    P, _ = net.forward(X)
    assert P.shape == (50, 10)
    np.testing.assert_allclose(P.sum(axis=1), 1.0)
    ce = np.mean(losses.cross_entropy(y, P))
    assert net.cost(X, y) == pytest.approx(ce)
    penalty = 0.5 * 0.1 * (np.sum(net.params[0] ** 2) + np.sum(net.params[2] ** 2))
    assert net.cost(X, y, l2=0.1) == pytest.approx(ce + penalty)
    J, _ = net.gradients(X, y, l2=0.1)
    assert J == pytest.approx(ce + penalty)


def test_untrained_cost_is_near_log_of_ten(data):
    # small random weights: every class about equally likely, so J about log(10)
    net = Network([64, 32, 10], seed=0)
    assert abs(net.cost(data.X_val, data.y_val) - np.log(10)) < 0.3


def test_backprop_of_softmax_regression_has_closed_form(data):
    # one layer: dJ/dW = X^T (P - Y) / m, dJ/db = mean of (P - Y): written out independently
    net = Network([64, 10], seed=0, dtype=np.float64)
    net.params[0] = np.random.default_rng(1).normal(0, 0.3, (64, 10))
    X, y = data.X_train[:40], data.y_train[:40]
    P, _ = net.forward(X)
    Y = np.eye(10)[y]
    _, (dW, db) = net.gradients(X, y)
    np.testing.assert_allclose(dW, X.T @ (P - Y) / 40, rtol=1e-12)
    np.testing.assert_allclose(db, (P - Y).mean(axis=0), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("activation", ["relu", "sigmoid"])
@pytest.mark.parametrize("l2", [0.0, 0.05])
def test_gradient_check_passes(data, activation, l2):
    net = Network([64, 8, 6, 10], activation=activation, seed=4)
    assert gradient_check(net, data.X_train[:8], data.y_train[:8], l2=l2) < 1e-7   # nn's and lesson 8's threshold


def test_gradient_check_catches_a_wrong_gradient(data, monkeypatch):
    net = Network([64, 12, 10], seed=4)
    right = Network.backward

    def wrong(self, P, activations, y, l2=0.0):
        grads = right(self, P, activations, y, l2)
        grads[0] = grads[0] * 1.01          # a 1% mistake in dW1
        return grads

    monkeypatch.setattr(Network, "backward", wrong)
    assert gradient_check(net, data.X_train[:15], data.y_train[:15]) > 1e-3


def test_gradient_check_on_a_sample_of_entries(data):
    net = Network([64, 40, 10], seed=5)
    assert gradient_check(net, data.X_train[:10], data.y_train[:10], per_array=10) < 1e-6


def test_predict_and_accuracy(data):
    net = Network([64, 10], seed=0, dtype=np.float64)
    # weights that copy a template per class make predictions the argmax of X @ W
    net.params[0] = data.X_train[:10].T.copy()
    X = data.X_train[:10]
    np.testing.assert_array_equal(net.predict(X), (X @ X.T).argmax(axis=1))
    assert net.accuracy(X, (X @ X.T).argmax(axis=1)) == 1.0


def test_labels_are_checked(data):
    net = Network([64, 10])
    with pytest.raises(ValueError, match="y must hold"):
        net.gradients(data.X_train[:5], [0, 1, 2, 3, 10])
    with pytest.raises(ValueError, match="y must hold"):
        net.gradients(data.X_train[:5], data.y_train[:4])


def test_copy_is_independent():
    net = Network([5, 3, 2], seed=0)
    twin = net.copy(dtype=np.float64)
    twin.params[0][0, 0] += 1.0
    assert twin.params[0].dtype == np.float64 and net.params[0][0, 0] != twin.params[0][0, 0]
    assert "5 3 2".replace(" ", ", ") in repr(net) and "float32" in repr(net)


def test_lesson_checks_accept_right_answers_and_reject_wrong_ones():
    from course.checks import network as check

    assert check.parameter_count(2410) and not check.parameter_count(2400)
    assert not check.parameter_count(None)
    right = lambda P, y: (P - np.eye(P.shape[1])[y]) / len(y)
    assert check.output_delta(right)
    assert not check.output_delta(lambda P, y: P - np.eye(P.shape[1])[y])     # forgot / m
    assert not check.output_delta(lambda P, y: None)                           # the stub
    assert not check.output_delta(lambda P, y: 1 / 0)                          # never raises
    assert check.sgd_decay_factor(0.999, lr=0.1, l2=0.01)
    assert not check.sgd_decay_factor(0.99, lr=0.1, l2=0.01) and not check.sgd_decay_factor(None, 0.1, 0.01)
    val = [2.3, 0.9, 0.55, 0.48, 0.5, 0.47, 0.49, 0.52, 0.53, 0.46]
    assert check.stopping_epochs(val, 3) == (8, 5) and check.stopping_epochs(val, 5) == (9, 9)
    assert check.early_stopping((8, 5), val, 3)
    assert not check.early_stopping((9, 9), val, 3) and not check.early_stopping((8, 6), val, 3)
    assert not check.early_stopping(8, val, 3) and not check.early_stopping(None, val, 3)


@pytest.mark.parametrize("patience", [1, 2, 4])
def test_the_early_stopping_check_follows_the_rule_of_train(patience):
    from course.checks import network as check

    data = digits(seed=0)
    net = Network([64, 32, 10], seed=1)
    history = train(net, Adam(lr=0.05), data, epochs=25, batch_size=16, patience=patience, seed=1)
    assert history.stopped_early          # the case the exercise is about
    assert check.stopping_epochs(history.val_cost, patience) == (history.epochs, history.best_epoch)
