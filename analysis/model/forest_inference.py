"""P(«Снизилась») from a fitted tree forest: sklearn's average, computed ~3× faster.

Why it exists: scoring pays for every tree on every customer (`bench/scoring.py`: 1M customers in
≤ 60 s on 2 cores), and the explanations need many trees to be steady between seeds
(modeling.STABLE_TREES). On customers as varied as real ones, sklearn's
`ForestClassifier.predict_proba` costs ~20 ns per tree and row for this model's depth-5 trees:
each step down a tree waits for the previous one and mispredicts its branch about half the time.
Here a compiled loop (numba, already installed for shap) walks eight rows down the same tree at
once, so the eight independent walks overlap: ~7 ns per tree and row, measured on 50 000 synthetic
customers × 4 000 trees (1.36 s on one thread against sklearn's 2.1 s on two).
Libraries measured on the same forest were slower: treelite 4.8's interpreter (GTIL) 10–30×,
ONNX Runtime 4–5× (and float32); a loop over `Tree.apply` with tabulated leaves ~1.4× faster.

The result is sklearn's average of the trees' leaf class fractions, to ~1e-16
(tests/analysis/model/test_forest_inference.py): the same thresholds compared the same way (the
float32 features against the float64 thresholds), and the trees summed in their fitted order, so
unlike sklearn's locked sum, the last bit does not depend on thread timing. Features with a
missing value are predicted by sklearn itself, which has its own rule for them. Any other
pipeline keeps `predict_proba`: `positive_probability` chooses.
"""

from __future__ import annotations

import copy
from concurrent.futures import ThreadPoolExecutor

import numba
import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline

from .modeling import FORESTS, final_forest

BLOCK_ROWS = 2048  # rows walked down every tree before the next block: the block's features stay in cache


class ForestProbability:
    """P(class `positive`) of a fitted pipeline ending in a forest, from the trees' arrays.

    The trees are copied once into T × M arrays (T trees, M the largest node count). A leaf
    points to itself with an infinite threshold, so every walk takes exactly `depth` steps.
    Calling the object with a feature frame (the pipeline's input columns) returns a float64
    array, one value per row, in row order; `threads` contiguous row slices are scored at once
    (the compiled loop releases the GIL).
    """

    def __init__(self, pipeline: Pipeline, positive: int, threads: int = 2):
        forest = final_forest(pipeline)
        if forest is None:
            raise TypeError(f"{type(pipeline.steps[-1][1]).__name__} is not one of "
                            f"{', '.join(f.__name__ for f in FORESTS)}")
        self.prepare, self.forest, self.positive = pipeline[:-1], forest, positive
        self.threads = max(1, int(threads))
        trees = [estimator.tree_ for estimator in forest.estimators_]
        shape = (len(trees), max(tree.node_count for tree in trees))
        self.depth = max(tree.max_depth for tree in trees)
        self.feature = np.zeros(shape, dtype=np.int64)
        self.threshold = np.full(shape, np.inf)
        self.left = np.zeros(shape, dtype=np.int64)
        self.right = np.zeros(shape, dtype=np.int64)
        self.value = np.zeros(shape)
        for row, tree in enumerate(trees):
            nodes = np.arange(tree.node_count)
            leaf = tree.children_left == -1
            self.feature[row, nodes] = np.where(leaf, 0, tree.feature)
            self.threshold[row, nodes] = np.where(leaf, np.inf, tree.threshold)
            self.left[row, nodes] = np.where(leaf, nodes, tree.children_left)
            self.right[row, nodes] = np.where(leaf, nodes, tree.children_right)
            # value[node, output, class]: the class fractions of the node's training rows (weighted).
            self.value[row, nodes] = tree.value[:, 0, positive] / tree.value[:, 0, :].sum(axis=1)

    def with_threads(self, threads: int) -> "ForestProbability":
        """The same forest (arrays shared, not copied), predicting in `threads` threads."""
        other = copy.copy(self)
        other.threads = max(1, int(threads))
        return other

    def __call__(self, features: pd.DataFrame) -> np.ndarray:
        # float32, C order: what sklearn's trees compare with their thresholds.
        prepared = self.prepare.transform(features)
        matrix = np.ascontiguousarray(np.asarray(prepared, dtype=np.float32))
        if np.isnan(matrix).any():
            # sklearn sends a missing value to the child with more training rows (or where missing ones went).
            return self.forest.predict_proba(prepared)[:, self.positive]
        total = np.zeros(len(matrix))
        bounds = np.linspace(0, len(matrix), self.threads + 1).astype(int)
        slices = [slice(start, stop) for start, stop in zip(bounds[:-1], bounds[1:]) if stop > start]

        def add_trees(rows: slice) -> None:
            _add_leaf_values(matrix[rows], self.feature, self.threshold, self.left, self.right, self.value,
                             self.depth, total[rows])

        if len(slices) == 1:
            add_trees(slices[0])
        elif slices:
            with ThreadPoolExecutor(len(slices)) as pool:
                list(pool.map(add_trees, slices))
        return total / len(self.feature)


@numba.njit(nogil=True, cache=True)
def _add_leaf_values(matrix, feature, threshold, left, right, value, depth, total):  # pragma: no cover (compiled)
    """total[i] += value[t, leaf of row i in tree t] over all trees t, rows in BLOCK_ROWS blocks.

    Eight rows step down a tree together (n0…n7): their walks do not depend on each other, so
    the processor overlaps them. (A loop over an array of eight nodes, or a helper function for
    the step, measured 3–15× slower.) `matrix` has no missing value (the caller checks).
    """
    rows = matrix.shape[0]
    for start in range(0, rows, BLOCK_ROWS):
        stop = min(start + BLOCK_ROWS, rows)
        for t in range(feature.shape[0]):
            f, c, lt, rt, v = feature[t], threshold[t], left[t], right[t], value[t]
            i = start
            while i + 8 <= stop:
                n0 = n1 = n2 = n3 = n4 = n5 = n6 = n7 = 0
                for _ in range(depth):
                    n0 = lt[n0] if matrix[i, f[n0]] <= c[n0] else rt[n0]
                    n1 = lt[n1] if matrix[i + 1, f[n1]] <= c[n1] else rt[n1]
                    n2 = lt[n2] if matrix[i + 2, f[n2]] <= c[n2] else rt[n2]
                    n3 = lt[n3] if matrix[i + 3, f[n3]] <= c[n3] else rt[n3]
                    n4 = lt[n4] if matrix[i + 4, f[n4]] <= c[n4] else rt[n4]
                    n5 = lt[n5] if matrix[i + 5, f[n5]] <= c[n5] else rt[n5]
                    n6 = lt[n6] if matrix[i + 6, f[n6]] <= c[n6] else rt[n6]
                    n7 = lt[n7] if matrix[i + 7, f[n7]] <= c[n7] else rt[n7]
                total[i] += v[n0]
                total[i + 1] += v[n1]
                total[i + 2] += v[n2]
                total[i + 3] += v[n3]
                total[i + 4] += v[n4]
                total[i + 5] += v[n5]
                total[i + 6] += v[n6]
                total[i + 7] += v[n7]
                i += 8
            while i < stop:
                node = 0
                for _ in range(depth):
                    node = lt[node] if matrix[i, f[node]] <= c[node] else rt[node]
                total[i] += v[node]
                i += 1


def positive_probability(pipeline, positive: int, threads: int = 2):
    """A function features → P(class `positive`): ForestProbability for a forest pipeline, else predict_proba."""
    if isinstance(pipeline, Pipeline) and final_forest(pipeline) is not None:
        return ForestProbability(pipeline, positive, threads)
    return PredictProba(pipeline, positive)


class PredictProba:
    """features → `pipeline.predict_proba(features)[:, positive]` (picklable, unlike a lambda)."""

    def __init__(self, pipeline, positive: int):
        self.pipeline, self.positive = pipeline, positive

    def with_threads(self, threads: int) -> "PredictProba":
        """Itself: the pipeline decides its own threads."""
        return self

    def __call__(self, features: pd.DataFrame) -> np.ndarray:
        return self.pipeline.predict_proba(features)[:, self.positive]
