"""Materiality scoring: criteria → one score per response → topic scores, classes, robustness.

Pure maths over plain values (no database), so every rule here is pinned by hand-computed
tests.

**Impact materiality** (rated by external stakeholder groups). The criteria follow GRI 3:
Material Topics 2021, section 1, step 3 ("assess the significance of the impacts": severity
as scale, scope and irremediable character; likelihood for potential impacts) and ESRS 1
§3.4 "Impact materiality" (§43-§48: severity of actual and potential, negative and positive
impacts; likelihood for potential ones). Each criterion is scored 1-5:

- *scale*: how grave (negative) or how beneficial (positive) the impact is,
  1 minimal … 5 very large;
- *scope*: how widespread, 1 very limited … 5 global or across the value chain;
- *irremediability* (negative impacts only): 1 easily remedied … 5 irreversible;
- *likelihood* (potential impacts only): 1 rare … 5 almost certain.

``severity`` = mean(scale, scope[, irremediability if negative]); the response's **impact
score** = severity for an *actual* impact (it happened: certain) and severity × likelihood / 5
for a *potential* one. Actual scores lie in [1, 5], potential ones in [0.2, 5].

**Financial materiality** (rated by executives). For each time horizon rated (short, medium,
long) likelihood L 1-5 × magnitude M 1-5 of the financial effect, scaled to L × M / 5; the
response's **financial score** = the maximum over the rated horizons, because a topic is
financially material if it could trigger material effects in the short, medium *or* long
term (ESRS 1 §3.5, §49). Single-axis (legacy) instruments take one score 1-5 as given.

**Aggregation** per topic and axis: the weighted mean of the response scores. A response's
weight is group weight × respondent weight under ``respondent`` weighting (the default; with
all weights 1 that is an equal weight per respondent), or group weight × respondent weight /
(sum of the respondent weights of that group's responses to the topic) under ``group``
weighting, where each group counts as a whole whatever its size.

**Normalisation and classes** (SYSTEM.md §8.4): norm = (mean − min) / (max − min) over the
topics on that axis. norm < low → less material; low ≤ norm < high → moderately material;
norm ≥ high → highly material (defaults 1/3 and 2/3; a norm within 1e-9 of a threshold counts
as reaching it, so exactly 1/3 is moderately and exactly 2/3 highly material). Rule
``double`` (SZSE No.17, ours): double-material = highly material on both axes. Rule ``esrs``:
material when highly material on either axis. The legacy **tier** of a topic is the level of
the mean of its two normalised axes: high ≥ high threshold, moderate ≥ low, else low; under
rule ``tier`` (single-materiality assessments) the high tier is what counts as material.

**Robustness.** Per topic and axis: the spread (weighted population standard deviation of the
response scores) and a 95% confidence interval of the weighted mean by a *stratified
bootstrap*: respondents are resampled with replacement within each group, 2,000 resamples,
``numpy.random.default_rng`` seeded with 42 (and the topic and axis positions), percentile
interval; it is given in raw score units and mapped with the observed min and max into the
normalised scale. Sensitivity: every group's weight is changed by −20% and +20%, one group at
a time; the topic is *robust* when its class on each axis and its material flag stay the same
in all those cases, otherwise the groups that flip it are listed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from esgledger.errors import InvalidInput

LESS, MODERATE, HIGH = "less_material", "moderately_material", "highly_material"
LEVELS = (LESS, MODERATE, HIGH)
TIERS = ("low", "moderate", "high")
RULES = ("double", "esrs")
TIER_RULE = "tier"  # legacy single materiality: material = high tier
WEIGHTINGS = ("respondent", "group")
HORIZONS = ("short", "medium", "long")
EPS = 1e-9
BOOTSTRAP = 2000
SEED = 42
SENSITIVITY = 0.2


def _criterion(name: str, value: float | None) -> float:
    if value is None or not 1 <= value <= 5:
        raise InvalidInput(f"{name} must be a score from 1 to 5, not {value!r}")
    return float(value)


def impact_score(
    *,
    valence: str,
    actuality: str,
    scale: float,
    scope: float,
    irremediability: float | None = None,
    likelihood: float | None = None,
) -> float:
    """One response's impact score from its criteria (see the module docstring).

    >>> impact_score(valence="negative", actuality="potential", scale=5, scope=4,
    ...              irremediability=3, likelihood=2)
    1.6
    """
    parts = [_criterion("scale", scale), _criterion("scope", scope)]
    if valence == "negative":
        parts.append(_criterion("irremediability", irremediability))
    elif valence != "positive" or irremediability is not None:
        raise InvalidInput("valence must be positive or negative; irremediability is for negative")
    severity = sum(parts) / len(parts)
    if actuality == "actual":
        if likelihood is not None:
            raise InvalidInput("likelihood is for potential impacts; an actual impact is certain")
        return severity
    if actuality != "potential":
        raise InvalidInput(f"actuality must be actual or potential, not {actuality!r}")
    return severity * _criterion("likelihood", likelihood) / 5


def financial_score(horizons: Mapping[str, tuple[float, float]]) -> float:
    """max over rated horizons of likelihood × magnitude / 5.

    >>> financial_score({"short": (2, 3), "long": (4, 5)})
    4.0
    """
    if not horizons:
        raise InvalidInput("rate at least one horizon (likelihood and magnitude)")
    scores = []
    for horizon, (likelihood, magnitude) in horizons.items():
        if horizon not in HORIZONS:
            raise InvalidInput(f"horizon must be one of {', '.join(HORIZONS)}, not {horizon!r}")
        scores.append(_criterion("likelihood", likelihood) * _criterion("magnitude", magnitude))
    return max(scores) / 5


def level(norm: float, low: float = 1 / 3, high: float = 2 / 3) -> str:
    """The class of a normalised score; thresholds are reached within 1e-9."""
    if norm >= high - EPS:
        return HIGH
    if norm >= low - EPS:
        return MODERATE
    return LESS


def tier(norms: Sequence[float], low: float = 1 / 3, high: float = 2 / 3) -> str:
    """Legacy tier: the level of the mean of the normalised axes, as high/moderate/low."""
    return TIERS[LEVELS.index(level(sum(norms) / len(norms), low, high))]


def is_material(levels: Sequence[str], rule: str) -> bool:
    """``double``: highly material on every axis; ``esrs``: on at least one."""
    highs = [lv == HIGH for lv in levels]
    if rule == "double":
        return all(highs)
    if rule == "esrs":
        return any(highs)
    raise InvalidInput(f"rule must be one of {', '.join(RULES)}, not {rule!r}")


def material_of(
    levels: Sequence[str], norms: Sequence[float], rule: str, low: float, high: float
) -> bool:
    """Material under ``rule``: the double / ESRS rule on the levels, or the high tier."""
    if rule == TIER_RULE:
        return tier(norms, low, high) == "high"
    return is_material(levels, rule)


def normalise(means: np.ndarray) -> np.ndarray:
    """(mean − min) / (max − min) over topics; needs at least two different means."""
    lo, hi = float(means.min()), float(means.max())
    if hi - lo <= EPS:
        raise InvalidInput("every topic has the same mean score on an axis; nothing to rank")
    return (means - lo) / (hi - lo)


@dataclass(frozen=True)
class Rating:
    """One response's score, as the scoring sees it."""

    respondent: str
    group: str
    topic: str
    axis: str
    score: float
    weight: float = 1.0  # the respondent's own weight


@dataclass(frozen=True)
class ScoringRule:
    axes: tuple[str, ...] = ("impact", "financial")
    rule: str = "double"
    low: float = 1 / 3
    high: float = 2 / 3
    weighting: str = "respondent"


@dataclass
class AxisResult:
    mean: float
    norm: float
    level: str
    n: int
    std: float
    ci_low: float
    ci_high: float
    ci_norm_low: float
    ci_norm_high: float


@dataclass
class TopicResult:
    topic: str
    axes: dict[str, AxisResult]
    material: bool
    material_on: list[str]
    tier: str
    robust: bool = True
    sensitive_to: list[str] = field(default_factory=list)


@dataclass
class _Axis:
    """The responses on one axis as arrays."""

    t: np.ndarray  # topic index
    g: np.ndarray  # group index
    w: np.ndarray  # respondent weight
    x: np.ndarray  # score


class _Problem:
    """The ratings as arrays, with everything needed to rescore under other group weights."""

    def __init__(self, ratings: Sequence[Rating], topics: Sequence[str], rule: ScoringRule):
        self.topics = list(topics)
        self.rule = rule
        self.groups = sorted({r.group for r in ratings})
        t_index = {t: i for i, t in enumerate(self.topics)}
        g_index = {g: i for i, g in enumerate(self.groups)}
        self.axes: dict[str, _Axis] = {}
        for axis in rule.axes:
            rows = [r for r in ratings if r.axis == axis and r.topic in t_index]
            self.axes[axis] = _Axis(
                t=np.array([t_index[r.topic] for r in rows], dtype=np.int64),
                g=np.array([g_index[r.group] for r in rows], dtype=np.int64),
                w=np.array([r.weight for r in rows], dtype=np.float64),
                x=np.array([r.score for r in rows], dtype=np.float64),
            )
        self._check_coverage()

    def _check_coverage(self) -> None:
        for axis, a in self.axes.items():
            counts = np.bincount(a.t, minlength=len(self.topics))
            missing = [self.topics[i] for i in np.flatnonzero(counts == 0)]
            if missing:
                raise InvalidInput(
                    f"no {axis} responses for topic{'s' if len(missing) > 1 else ''} "
                    f"{', '.join(missing)}; collect responses or remove the topic"
                )

    def weights(self, axis: str, gw: np.ndarray) -> np.ndarray:
        a = self.axes[axis]
        if self.rule.weighting == "respondent":
            return a.w * gw[a.g]
        key = a.t * len(self.groups) + a.g
        total = np.bincount(key, weights=a.w, minlength=len(self.topics) * len(self.groups))
        return gw[a.g] * a.w / total[key]

    def means(self, axis: str, gw: np.ndarray) -> np.ndarray:
        a, e = self.axes[axis], self.weights(axis, gw)
        n = len(self.topics)
        den = np.bincount(a.t, weights=e, minlength=n)
        if (den <= 0).any():
            raise InvalidInput(f"a topic has zero total weight on the {axis} axis")
        return np.bincount(a.t, weights=e * a.x, minlength=n) / den

    def classify(self, gw: np.ndarray) -> tuple[dict[str, list[str]], list[bool]]:
        r = self.rule
        norms = {axis: normalise(self.means(axis, gw)) for axis in r.axes}
        levels = {axis: [level(v, r.low, r.high) for v in norms[axis]] for axis in r.axes}
        material = [
            material_of(
                [levels[axis][i] for axis in r.axes],
                [float(norms[axis][i]) for axis in r.axes],
                r.rule,
                r.low,
                r.high,
            )
            for i in range(len(self.topics))
        ]
        return levels, material


def _spread(a: _Axis, e: np.ndarray, means: np.ndarray) -> np.ndarray:
    n = len(means)
    den = np.bincount(a.t, weights=e, minlength=n)
    return np.sqrt(np.bincount(a.t, weights=e * (a.x - means[a.t]) ** 2, minlength=n) / den)


def _bootstrap(x: np.ndarray, e: np.ndarray, g: np.ndarray, rng: np.random.Generator, b: int):
    """95% percentile interval of the weighted mean, resampling within each group."""
    num, den = np.zeros(b), np.zeros(b)
    for group in np.unique(g):
        idx = np.flatnonzero(g == group)
        draws = idx[rng.integers(0, len(idx), size=(b, len(idx)))]
        num += (x[draws] * e[draws]).sum(axis=1)
        den += e[draws].sum(axis=1)
    low, high = np.quantile(num / den, [0.025, 0.975])
    return float(low), float(high)


def _axis_results(
    problem: _Problem, axis: str, gw: np.ndarray, bootstrap: int, seed: int
) -> list[AxisResult]:
    a, e = problem.axes[axis], problem.weights(axis, gw)
    means = problem.means(axis, gw)
    norms = normalise(means)
    lo, span = float(means.min()), float(means.max() - means.min())
    spread = _spread(a, e, means)
    counts = np.bincount(a.t, minlength=len(means))
    axis_no = problem.rule.axes.index(axis)
    out = []
    for i, mean in enumerate(means):
        rows = a.t == i
        rng = np.random.default_rng([seed, i, axis_no])
        ci = _bootstrap(a.x[rows], e[rows], a.g[rows], rng, bootstrap)
        out.append(
            AxisResult(
                mean=float(mean),
                norm=float(norms[i]),
                level=level(float(norms[i]), problem.rule.low, problem.rule.high),
                n=int(counts[i]),
                std=float(spread[i]),
                ci_low=ci[0],
                ci_high=ci[1],
                ci_norm_low=(ci[0] - lo) / span,
                ci_norm_high=(ci[1] - lo) / span,
            )
        )
    return out


def score_topics(
    ratings: Sequence[Rating],
    topics: Sequence[str],
    group_weights: Mapping[str, float],
    rule: ScoringRule = ScoringRule(),
    *,
    bootstrap: int = BOOTSTRAP,
    seed: int = SEED,
    sensitivity: float = SENSITIVITY,
) -> list[TopicResult]:
    """Score every topic on every axis of ``rule``; see the module docstring for the rules.

    Raises :class:`InvalidInput` when a topic has no responses on an axis or an axis has no
    spread. Groups missing from ``group_weights`` weigh 1.
    """
    if rule.rule not in (*RULES, TIER_RULE) or rule.weighting not in WEIGHTINGS:
        raise InvalidInput(f"rule {rule.rule!r} / weighting {rule.weighting!r} not known")
    problem = _Problem(ratings, topics, rule)
    gw = np.array([float(group_weights.get(g, 1.0)) for g in problem.groups])
    per_axis = {axis: _axis_results(problem, axis, gw, bootstrap, seed) for axis in rule.axes}
    results = []
    for i, topic in enumerate(problem.topics):
        axes = {axis: per_axis[axis][i] for axis in rule.axes}
        levels = [axes[axis].level for axis in rule.axes]
        norms = [axes[axis].norm for axis in rule.axes]
        results.append(
            TopicResult(
                topic=topic,
                axes=axes,
                material=material_of(levels, norms, rule.rule, rule.low, rule.high),
                material_on=[axis for axis in rule.axes if axes[axis].level == HIGH],
                tier=tier([axes[axis].norm for axis in rule.axes], rule.low, rule.high),
            )
        )
    _sensitivity(problem, gw, results, sensitivity)
    return results


def _sensitivity(
    problem: _Problem, gw: np.ndarray, results: list[TopicResult], change: float
) -> None:
    """Flag topics whose classes change when one group's weight moves by ±``change``."""
    base_levels, base_material = problem.classify(gw)
    for gi, group in enumerate(problem.groups):
        for factor in (1 - change, 1 + change):
            moved = gw.copy()
            moved[gi] *= factor
            levels, material = problem.classify(moved)
            for i, result in enumerate(results):
                changed = material[i] != base_material[i] or any(
                    levels[axis][i] != base_levels[axis][i] for axis in problem.rule.axes
                )
                if changed and group not in result.sensitive_to:
                    result.sensitive_to.append(group)
                    result.robust = False
