"""Classification statistics against hand counts and scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest
import sklearn.metrics

from cnnrnn_helpers import stats


def test_binary_pred_stats_by_hand():
    y_true = np.array([1, 1, 1, 0, 0, 0, 0, 1])
    y_prob = np.array([0.9, 0.6, 0.2, 0.1, 0.7, 0.4, 0.5, 0.51])
    # predicted positive (> 0.5): 1 1 0 0 1 0 0 1
    # TP = 3 of 4 positives, TN = 3 of 4 negatives (0.5 is not > 0.5)
    result = stats.binary_pred_stats(y_true, y_prob)
    assert result == pytest.approx((0.75, 0.75, 0.75))
    assert result.sensitivity == 0.75
    strict = stats.binary_pred_stats(y_true, y_prob, threshold=0.55)
    assert strict == pytest.approx((0.5, 0.75, 0.625))


def test_binary_pred_stats_accepts_column_vectors():
    y_true = np.array([[1], [0]])
    y_prob = np.array([[0.8], [0.3]])
    assert stats.binary_pred_stats(y_true, y_prob) == (1.0, 1.0, 1.0)


def test_binary_pred_stats_rejects_bad_input():
    with pytest.raises(ValueError, match="only 0 and 1"):
        stats.binary_pred_stats([0, 2], [0.1, 0.9])
    with pytest.raises(ValueError, match="differ in shape"):
        stats.binary_pred_stats([0, 1], [0.1, 0.9, 0.3])
    with pytest.raises(ValueError, match="empty"):
        stats.binary_pred_stats([], [])


def test_confusion_matrix_matches_sklearn():
    rng = np.random.default_rng(0)
    t, p = rng.integers(0, 4, 200), rng.integers(0, 4, 200)
    np.testing.assert_array_equal(
        stats.confusion_matrix(t, p, 4), sklearn.metrics.confusion_matrix(t, p)
    )
    one_hot = np.eye(4)[t]
    np.testing.assert_array_equal(
        stats.confusion_matrix(one_hot, p, 4), stats.confusion_matrix(t, p, 4)
    )


def test_multiclass_stats_matches_sklearn():
    rng = np.random.default_rng(1)
    logits = rng.normal(size=(50, 3))
    prob = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    y = rng.integers(0, 3, 50)
    result = stats.multiclass_stats(np.eye(3)[y], prob)
    assert result.log_loss == pytest.approx(sklearn.metrics.log_loss(y, prob))
    assert result.accuracy == pytest.approx(np.mean(prob.argmax(1) == y))
    assert result.confusion.sum() == 50
    assert result.confusion.shape == (3, 3)


def test_mean_std():
    assert stats.mean_std([1.0, 2.0, 3.0]) == pytest.approx((2.0, 1.0))
    assert stats.mean_std([5.0]) == (5.0, 0.0)
    with pytest.raises(ValueError, match="empty"):
        stats.mean_std([])
