"""The trained model that judges each stance the rules find: how likely it is to be right.

A logistic regression (scikit-learn) over the features of `stance_features`, stored as a small JSON
file of weights: reading it needs neither scikit-learn nor pickle, and the same training data gives
the same file byte for byte. Its score is calibrated (isotonic regression) on predictions for
threads it was not trained on (leave-one-thread-out, `learning`), so that ``confidence`` 0.8 means
that about 8 records in 10 with it were right on such threads. ``min_confidence`` is the lowest
confidence at which those predictions were right at least 80% of the time, keeping at least a
tenth of them (None when no confidence does).

The package ships one (``threadlib/models/positions.json``, rebuilt by ``make train``); the
environment variable ``THREADLIB_MODEL`` names another (``threadlib train`` makes one from a user's
own annotated threads).
"""

from __future__ import annotations

import functools
import json
import math
import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .errors import ModelError

ENV_VAR = "THREADLIB_MODEL"
FORMAT = "threadlib-stance-model/1"
DIGITS = 6  # decimals kept of each weight: enough for the scores, and a stable file


@dataclass
class StanceModel:
    """A weight a feature, an intercept, and the calibration of the scores."""

    intercept: float
    weights: dict[str, float]
    calibration: list[list[float]] = field(default_factory=list)  # [[score, confidence], ...], increasing
    min_confidence: float | None = None  # None: no confidence reached the target precision
    about: dict = field(default_factory=dict)  # what it was trained on and how it scored

    def score(self, features: dict[str, float]) -> float:
        """The model's probability that a record with these features is right (uncalibrated)."""
        total = self.intercept + sum(self.weights.get(name, 0.0) * value for name, value in features.items())
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, total))))

    def confidence(self, features: dict[str, float]) -> float:
        """The calibrated confidence of a record with these features, in [0, 1]."""
        return self.calibrated(self.score(features))

    def calibrated(self, score: float) -> float:
        """The calibration curve at ``score`` (straight between its points; the score itself
        when the model has no calibration)."""
        points = self.calibration
        if not points:
            return round(score, 4)
        if score <= points[0][0]:
            return points[0][1]
        for (x0, y0), (x1, y1) in zip(points, points[1:]):
            if score <= x1:
                return round(y0 + (y1 - y0) * (score - x0) / (x1 - x0) if x1 > x0 else y1, 4)
        return points[-1][1]

    def to_json(self) -> str:
        """The model as JSON text: keys sorted, numbers rounded, the same for the same training."""
        data = {"format": FORMAT, "intercept": round(self.intercept, DIGITS),
                "weights": {name: round(value, DIGITS) for name, value in sorted(self.weights.items())},
                "calibration": [[round(x, DIGITS), round(y, 4)] for x, y in self.calibration],
                "min_confidence": None if self.min_confidence is None else round(self.min_confidence, 4),
                "about": self.about}
        return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str, origin: str = "<model>") -> StanceModel:
        try:
            data = json.loads(text)
            if not isinstance(data, dict) or data.get("format") != FORMAT:
                raise ValueError(f"not a {FORMAT} file")
            model = cls(float(data["intercept"]), {str(k): float(v) for k, v in data["weights"].items()},
                        [[float(x), float(y)] for x, y in data.get("calibration", [])],
                        None if data.get("min_confidence") is None else float(data["min_confidence"]),
                        dict(data.get("about", {})))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ModelError(f"{origin}: not a threadlib stance model ({exc}); make one with threadlib train") from None
        return model

    def save(self, path: str | os.PathLike) -> None:
        """Write the model to ``path`` (atomically)."""
        from .output import atomic_output

        with atomic_output(path) as handle:
            handle.write(self.to_json())


def model_path() -> str:
    """The model in use: ``THREADLIB_MODEL``, else the one the package ships."""
    return os.environ.get(ENV_VAR) or str(resources.files("threadlib").joinpath("models", "positions.json"))


def load(path: str | os.PathLike | None = None) -> StanceModel:
    """The model at ``path`` (default: `model_path`), read once."""
    return _load(os.fspath(path) if path is not None else model_path())


@functools.lru_cache(maxsize=4)
def _load(path: str) -> StanceModel:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8 text"
        raise ModelError(f"{path}: the stance model cannot be read ({reason}); check {ENV_VAR}, or reinstall "
                         "threadlib") from None
    return StanceModel.from_json(text, path)


def fit(features: list[dict[str, float]], right: list[bool], *, c: float) -> StanceModel:
    """A model fitted to records' features and whether each was right, deterministically
    (scikit-learn's lbfgs; features in sorted order)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    if not right:
        raise ModelError("the rules find no stance in the annotated threads, so there is nothing to learn from; "
                         "annotate threads that state positions (docs/annotation.md)")
    if len(set(right)) < 2:  # all right or all wrong: nothing to tell them apart by, only how often
        rate = (sum(right) + 1) / (len(right) + 2)
        return StanceModel(math.log(rate / (1 - rate)), {})
    vectorizer = DictVectorizer(sort=True)
    matrix = vectorizer.fit_transform(features)
    learner = LogisticRegression(C=c, max_iter=2000).fit(matrix, [int(r) for r in right])
    names = vectorizer.get_feature_names_out()
    weights = {str(name): float(w) for name, w in zip(names, learner.coef_[0]) if abs(w) >= 10 ** -DIGITS}
    return StanceModel(float(learner.intercept_[0]), weights)
