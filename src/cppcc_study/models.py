"""Models of proposal adoption on the panel: a quasi-binomial GLM, empirical-Bayes shrinkage
of committee rates, and a within-committee trend.

Every model reads adoption counts: ``proposals.adopted`` out of ``proposals.filed`` (or
``proposals.handled``), only where both counts are exact (or ``all``) and adopted ≤ the
denominator. On too little data a fit raises ``ModelNotEstimable`` with the reason;
``try_fit`` and ``fit_all`` return that reason as a string instead.

Results are frozen dataclasses in statsmodels' style: ``params``, ``bse``,
``conf_int()``, ``summary()``, ``to_frame()``, plus ``interpret(lang)`` — a paragraph in
Chinese (``zh``) or English (``en``) written from the estimates.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import optimize, stats
from statsmodels.tools.numdiff import approx_hess
from statsmodels.tools.sm_exceptions import PerfectSeparationWarning

from .errors import ModelNotEstimable
from .metrics import RATE_QUALIFIERS
from .schemas import LEVELS

Denominator = Literal["filed", "handled"]
Lang = Literal["zh", "en"]
MIN_COMMITTEES = 3
MIN_YEARS = 3
LEVEL_ZH = {"national": "全国", "provincial": "省级", "prefecture": "地市级", "county": "县级"}
REGION_ORDER = ("东部", "中部", "西部", "东北", "全国")
REGION_EN = {"东部": "eastern", "中部": "central", "西部": "western", "东北": "north-eastern", "全国": "national"}
#: Upper bound of the beta-binomial prior strength α+β; reaching it means no spread beyond binomial noise.
MAX_PRIOR_STRENGTH = 1e6


# --------------------------------------------------------------------------- data


def adoption_counts(panel: pd.DataFrame, denominator: Denominator = "filed") -> pd.DataFrame:
    """Committee-years with usable adoption counts: ``committee, level, region, year, adopted, trials``."""
    den = f"proposals.{denominator}"
    need = ["proposals.adopted", den]
    ok = pd.Series(True, index=panel.index)
    for key in need:
        if key not in panel:
            return pd.DataFrame(columns=["committee", "level", "region", "year", "adopted", "trials"])
        ok &= panel[key].notna() & panel[f"{key}__qualifier"].isin(RATE_QUALIFIERS).fillna(False).astype(bool)
    ok &= (panel[den] > 0) & (panel["proposals.adopted"] <= panel[den])
    sub = panel.loc[ok]
    return pd.DataFrame(
        {
            "committee": sub["committee"].astype(str),
            "level": sub["level"].astype(str),
            "region": sub["region"].astype(object).where(sub["region"].notna(), "unknown"),
            "year": sub["year"].astype(int),
            "adopted": sub["proposals.adopted"].astype(float),
            "trials": sub[den].astype(float),
        }
    ).reset_index(drop=True)


def _reference(values: pd.Series, order: tuple[str, ...] = ()) -> str:
    """The most frequent category; ties go to the earlier one in ``order``, then alphabetically."""
    counts = values.value_counts()
    best = counts[counts == counts.max()].index
    return sorted(best, key=lambda v: (order.index(v) if v in order else len(order), v))[0]


def _full_rank(X: pd.DataFrame) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Drop columns, left to right, that add nothing to the column space (constant or collinear)."""
    kept: list[str] = []
    dropped: list[str] = []
    for col in X:
        trial = X[[*kept, col]].to_numpy(float)
        if np.linalg.matrix_rank(trial) == len(kept) + 1:
            kept.append(col)
        else:
            dropped.append(col)
    return X[kept], tuple(dropped)


# --------------------------------------------------------------------------- GLM results


@dataclass(frozen=True)
class _GLMResult:
    """Common part of the binomial GLM results (log-odds scale).

    ``dispersion`` is Pearson chi2 / df_resid; ``bse`` are binomial ones times
    √max(1, dispersion) (quasi-binomial, never narrower than binomial).
    """

    params: pd.Series
    bse: pd.Series
    nobs: int
    n_committees: int
    df_resid: float
    dispersion: float
    pearson_chi2: float
    adopted: float
    trials: float
    denominator: str
    year_origin: int
    dropped: tuple[str, ...]
    _fit: Any = field(repr=False, compare=False)

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        """Intervals of the log-odds coefficients (t with the residual df, as quasi-binomial)."""
        ci = self._fit.conf_int(alpha=alpha)
        ci.columns = ["lower", "upper"]
        return ci

    def to_frame(self, alpha: float = 0.05) -> pd.DataFrame:
        """Coefficients, standard errors, t, p, interval and odds ratios, one row per term."""
        ci = self.conf_int(alpha)
        return pd.DataFrame(
            {
                "coef": self.params,
                "std_err": self.bse,
                "t": self._fit.tvalues,
                "p": self._fit.pvalues,
                "lower": ci["lower"],
                "upper": ci["upper"],
                "odds_ratio": np.exp(self.params),
                "or_lower": np.exp(ci["lower"]),
                "or_upper": np.exp(ci["upper"]),
            }
        )

    def summary(self):
        """The statsmodels summary, with the dispersion and the dropped terms noted."""
        smry = self._fit.summary()
        smry.add_extra_txt(
            [
                f"Quasi-binomial: Pearson chi2 / df = {self.pearson_chi2:.2f} / {self.df_resid:.0f}"
                f" = dispersion {self.dispersion:.3f}; standard errors scaled by the square root of"
                f" max(1, dispersion).",
                f"year is counted from {self.year_origin}; denominator: {self.denominator} proposals.",
            ]
            + ([f"Dropped (constant or collinear): {', '.join(self.dropped)}"] if self.dropped else [])
        )
        return smry

    @property
    def pooled_rate(self) -> float:
        """Adopted / denominator over all rows used, percent."""
        return 100 * self.adopted / self.trials

    def _odds(self, term: str) -> tuple[float, float, float]:
        ci = self.conf_int().loc[term]
        return math.exp(self.params[term]), math.exp(ci["lower"]), math.exp(ci["upper"])

    def _dispersion_text(self, lang: Lang) -> str:
        phi = self.dispersion
        if lang == "zh":
            if phi > 1.5:
                return (f"皮尔逊离散系数为{phi:.1f}，各观测的差异远大于二项随机波动，"
                        f"区间已按其平方根（{math.sqrt(phi):.1f}倍）放宽。")
            if phi < 1:
                return f"皮尔逊离散系数为{phi:.2f}，低于1，区间按二项分布计算，不作收窄。"
            return f"皮尔逊离散系数为{phi:.2f}，与二项随机波动相当。"
        if phi > 1.5:
            return (f"The Pearson dispersion is {phi:.1f}: the counts vary far more than binomial noise, "
                    f"so the intervals are widened {math.sqrt(phi):.1f}-fold.")
        if phi < 1:
            return (f"The Pearson dispersion is {phi:.2f}, below 1; the intervals are the binomial ones, "
                    "not narrowed.")
        return f"The Pearson dispersion is {phi:.2f}, in line with binomial noise."


def _odds_phrase(lang: Lang, orr: float, lo: float, hi: float) -> str:
    pct, plo, phi = 100 * (orr - 1), 100 * (lo - 1), 100 * (hi - 1)
    if lang == "zh":
        sure = "" if lo > 1 or hi < 1 else "，区间包含无影响"
        return f"{'高' if pct >= 0 else '低'}{abs(pct):.0f}%（95%区间 {plo:+.0f}% 至 {phi:+.0f}%{sure}）"
    sure = "" if lo > 1 or hi < 1 else ", an interval that includes no effect"
    return f"{abs(pct):.0f}% {'higher' if pct >= 0 else 'lower'} (95% CI {plo:+.0f}% to {phi:+.0f}%{sure})"


@dataclass(frozen=True)
class AdoptionGLM(_GLMResult):
    """Binomial GLM (logit) of adopted out of ``denominator`` proposals on level, year and region.

    ``params`` are log-odds: ``Intercept`` (reference level and region, year ``year_origin``),
    ``level[...]``, ``year`` (per year), ``region[...]``. ``reference`` names the reference
    categories.
    """

    reference: dict[str, str] = field(default_factory=dict)

    def interpret(self, lang: Lang = "en") -> str:
        """One paragraph on what the estimates say, from the numbers."""
        parts = []
        ref_level = self.reference.get("level", "")
        ref_region = self.reference.get("region", "")
        if lang == "zh":
            parts.append(
                f"模型使用{self.n_committees}个委员会的{self.nobs}个委员会-年度观测，"
                f"共{self.trials:.0f}件{'立案' if self.denominator == 'filed' else '办复'}提案中采纳{self.adopted:.0f}件"
                f"（合计{self.pooled_rate:.1f}%）。"
            )
            if "year" in self.params:
                orr, lo, hi = self._odds("year")
                parts.append(f"控制层级与地区后，每过一年采纳的几率{_odds_phrase('zh', orr, lo, hi)}。")
            for term in self.params.index:
                if term.startswith("level["):
                    lv = term[6:-1]
                    orr, lo, hi = self._odds(term)
                    parts.append(f"{LEVEL_ZH.get(lv, lv)}委员会的采纳几率比{LEVEL_ZH.get(ref_level, ref_level)}"
                                 f"委员会{_odds_phrase('zh', orr, lo, hi)}。")
                if term.startswith("region["):
                    rg = term[7:-1]
                    orr, lo, hi = self._odds(term)
                    parts.append(f"{rg}地区比{ref_region}地区{_odds_phrase('zh', orr, lo, hi)}。")
            parts.append(self._dispersion_text("zh"))
            return "".join(parts)
        parts.append(
            f"The model uses {self.nobs} committee-years from {self.n_committees} committees: "
            f"{self.adopted:.0f} of {self.trials:.0f} {self.denominator} proposals adopted "
            f"({self.pooled_rate:.1f}% overall)."
        )
        if "year" in self.params:
            orr, lo, hi = self._odds("year")
            parts.append(f"Holding level and region fixed, the odds of adoption are "
                         f"{_odds_phrase('en', orr, lo, hi)} each year.")
        for term in self.params.index:
            if term.startswith("level["):
                lv = term[6:-1]
                orr, lo, hi = self._odds(term)
                parts.append(f"The odds are {_odds_phrase('en', orr, lo, hi)} for {lv} than for {ref_level} committees.")
            if term.startswith("region["):
                rg = term[7:-1]
                orr, lo, hi = self._odds(term)
                parts.append(f"The odds are {_odds_phrase('en', orr, lo, hi)} in the {REGION_EN.get(rg, rg)} "
                             f"than in the {REGION_EN.get(ref_region, ref_region)} region.")
        parts.append(self._dispersion_text("en"))
        return " ".join(parts)


@dataclass(frozen=True)
class TrendResult(_GLMResult):
    """Binomial GLM with a fixed effect per committee (``committee[...]``) and one common
    ``year`` slope (log-odds per year), fitted to committees with ≥ 3 years of counts."""

    committees: tuple[str, ...] = ()

    @property
    def slope(self) -> float:
        return float(self.params["year"])

    def interpret(self, lang: Lang = "en") -> str:
        """One paragraph on the common within-committee trend, from the numbers."""
        orr, lo, hi = self._odds("year")
        years = self._fit.model.exog[:, -1] + self.year_origin
        span = f"{int(years.min())}–{int(years.max())}"
        if lang == "zh":
            return (
                f"在{span}年间有三年以上数据的{self.n_committees}个委员会（{self.nobs}个委员会-年度）中，"
                f"同一委员会内采纳的几率每年{_odds_phrase('zh', orr, lo, hi)}。" + self._dispersion_text("zh")
            )
        who = "the one committee" if self.n_committees == 1 else f"the {self.n_committees} committees"
        return (
            f"Within {who} with three or more years of counts ({self.nobs} "
            f"committee-years, {span}), the odds of adoption are {_odds_phrase('en', orr, lo, hi)} each year. "
            + self._dispersion_text("en")
        )


def _fit_binomial(data: pd.DataFrame, X: pd.DataFrame) -> tuple[Any, float]:
    """The quasi-binomial fit and the Pearson dispersion (chi2 / df)."""
    pooled = data["adopted"].sum() / data["trials"].sum()
    if pooled <= 0 or pooled >= 1:
        raise ModelNotEstimable(
            f"needs some adopted and some not adopted proposals; the pooled rate is {100 * pooled:.0f}%",
            f"需要既有采纳也有未采纳的提案；合并采纳率为 {100 * pooled:.0f}%",
        )
    endog = np.column_stack([data["adopted"], data["trials"] - data["adopted"]])
    model = sm.GLM(endog, X, family=sm.families.Binomial())
    # Quasi-binomial: refit with the Pearson dispersion as scale. (statsmodels' scale="X2" is
    # wrong for a two-column endog: it divides by the trials.) use_t: t intervals on df_resid.
    with warnings.catch_warnings():
        # Perfect separation (a committee adopting all or none) shows as non-finite estimates below.
        warnings.simplefilter("ignore", PerfectSeparationWarning)
        first = model.fit()
        phi = float(first.pearson_chi2 / first.df_resid)
        # Intervals are never narrower than binomial ones: a dispersion below 1 on few rows is noise.
        fit = model.fit(scale=max(phi, 1.0), use_t=True)
    if not (np.all(np.isfinite(fit.params)) and np.all(np.isfinite(fit.bse)) and math.isfinite(phi)):
        raise ModelNotEstimable("the estimates do not converge (a committee adopts all or none of its proposals)",
                                "估计不收敛（有委员会的提案全部或全不被采纳）")
    return fit, phi


def _glm_fields(fitted: tuple[Any, float], data: pd.DataFrame, denominator: str, origin: int,
                dropped: tuple[str, ...]) -> dict:
    fit, phi = fitted
    return dict(
        params=fit.params, bse=fit.bse, nobs=int(fit.nobs), n_committees=int(data["committee"].nunique()),
        df_resid=float(fit.df_resid), dispersion=phi, pearson_chi2=float(fit.pearson_chi2),
        adopted=float(data["adopted"].sum()), trials=float(data["trials"].sum()), denominator=denominator,
        year_origin=origin, dropped=dropped, _fit=fit,
    )


def fit_adoption_glm(panel: pd.DataFrame, denominator: Denominator = "filed") -> AdoptionGLM:
    """Fit the quasi-binomial logit of adoption on level, year and region (see ``AdoptionGLM``)."""
    data = adoption_counts(panel, denominator)
    n_comm = data["committee"].nunique()
    if n_comm < MIN_COMMITTEES:
        raise ModelNotEstimable(f"needs adoption counts for ≥ {MIN_COMMITTEES} committees; found {n_comm}",
                                f"需要至少 {MIN_COMMITTEES} 个委员会的采纳数；现有 {n_comm} 个")
    origin = int(data["year"].min())
    ref_level = _reference(data["level"], LEVELS)
    ref_region = _reference(data["region"], REGION_ORDER)
    X = pd.DataFrame({"Intercept": 1.0}, index=data.index)
    for lv in [v for v in LEVELS if v in set(data["level"]) and v != ref_level]:
        X[f"level[{lv}]"] = (data["level"] == lv).astype(float)
    X["year"] = (data["year"] - origin).astype(float)
    for rg in sorted(set(data["region"]) - {ref_region}):
        X[f"region[{rg}]"] = (data["region"] == rg).astype(float)
    X, dropped = _full_rank(X)
    if len(data) <= X.shape[1]:
        raise ModelNotEstimable(
            f"needs more committee-years than the model's {X.shape[1]} coefficients to estimate the "
            f"dispersion; found {len(data)}",
            f"估计离散度需要多于模型系数个数（{X.shape[1]}）的委员会-年份；现有 {len(data)} 个",
        )
    fit = _fit_binomial(data, X)
    return AdoptionGLM(**_glm_fields(fit, data, denominator, origin, dropped),
                       reference={"level": ref_level, "region": ref_region})


def fit_trend(panel: pd.DataFrame, denominator: Denominator = "filed") -> TrendResult:
    """Fit the within-committee trend on committees with ≥ 3 years of adoption counts."""
    data = adoption_counts(panel, denominator)
    years = data.groupby("committee")["year"].nunique()
    eligible = sorted(years[years >= MIN_YEARS].index)
    if not eligible:
        most = int(years.max()) if len(years) else 0
        raise ModelNotEstimable(
            f"needs adoption counts in ≥ {MIN_YEARS} years for at least one committee; "
            f"the most any committee has is {most}",
            f"需要至少一个委员会有 {MIN_YEARS} 年以上的采纳数；目前最多为 {most} 年",
        )
    data = data[data["committee"].isin(eligible)].reset_index(drop=True)
    origin = int(data["year"].min())
    X = pd.DataFrame({f"committee[{c}]": (data["committee"] == c).astype(float) for c in eligible})
    X["year"] = (data["year"] - origin).astype(float)
    fit = _fit_binomial(data, X)
    return TrendResult(**_glm_fields(fit, data, denominator, origin, ()), committees=tuple(eligible))


# --------------------------------------------------------------------------- shrinkage


def _expit(t: float) -> float:
    return 1 / (1 + math.exp(-t)) if not math.isnan(t) else math.nan


def _betabinom_negloglike(theta: np.ndarray, x: np.ndarray, n: np.ndarray) -> float:
    mu, m = _expit(theta[0]), math.exp(theta[1])
    return -float(stats.betabinom.logpmf(x, n, mu * m, (1 - mu) * m).sum())


@dataclass(frozen=True)
class ShrinkageResult:
    """Empirical-Bayes beta-binomial shrinkage of committee adoption rates.

    The prior Beta(α, β) is fitted by marginal maximum likelihood; ``params`` are
    ``prior_mean`` (α/(α+β), a proportion) and ``prior_strength`` (α+β, in proposals: how
    many proposals' worth of weight the prior carries). ``committees`` has one row per
    committee: ``adopted, trials, raw_rate, shrunk_rate, lo, hi`` (percent; posterior mean and
    95% posterior Beta quantiles), ``weight`` (share of the committee's own data in its
    estimate) and ``rank`` (1 = highest shrunk rate). The intervals treat α and β as known.
    """

    params: pd.Series
    bse: pd.Series
    committees: pd.DataFrame
    nobs: int
    loglike: float
    at_bound: bool
    denominator: str
    year: int | None
    _theta: tuple[float, float] = field(repr=False, compare=False)
    _theta_se: tuple[float, float] = field(repr=False, compare=False)

    @property
    def alpha(self) -> float:
        return float(self.params["prior_mean"] * self.params["prior_strength"])

    @property
    def beta(self) -> float:
        return float((1 - self.params["prior_mean"]) * self.params["prior_strength"])

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        """Wald intervals on the logit (mean) and log (strength) scales, transformed back."""
        z = stats.norm.ppf(1 - alpha / 2)
        (t_mean, t_strength), (se_mean, se_strength) = self._theta, self._theta_se
        return pd.DataFrame(
            {"lower": [_expit(t_mean - z * se_mean), math.exp(t_strength - z * se_strength)],
             "upper": [_expit(t_mean + z * se_mean), math.exp(t_strength + z * se_strength)]},
            index=["prior_mean", "prior_strength"],
        )

    def to_frame(self) -> pd.DataFrame:
        """The prior's parameters with standard errors (delta method) and intervals."""
        return pd.concat([self.params.rename("coef"), self.bse.rename("std_err"), self.conf_int()], axis=1)

    def summary(self) -> str:
        """A plain-text summary: the prior and the committees' shrunken rates."""
        head = (
            f"Empirical-Bayes beta-binomial shrinkage ({self.nobs} committees, "
            f"adopted / {self.denominator}{'' if self.year is None else f', {self.year}'})\n"
            f"log-likelihood {self.loglike:.2f}; alpha {self.alpha:.2f}, beta {self.beta:.2f}"
            + (" (prior strength at its upper bound: no spread beyond binomial noise)" if self.at_bound else "")
        )
        return "\n\n".join([head, self.to_frame().to_string(), self.committees.to_string(index=False)])

    def interpret(self, lang: Lang = "en") -> str:
        """One paragraph on the pooled rate, the spread and what shrinkage did to the ranking."""
        mean = 100 * float(self.params["prior_mean"])
        m = float(self.params["prior_strength"])
        tab = self.committees
        top = tab.sort_values("rank").iloc[0]
        raw_top = tab.sort_values("raw_rate", ascending=False, kind="stable").iloc[0]
        moved = int((tab["rank"] != tab["raw_rate"].rank(ascending=False, method="first")).sum())
        if lang == "zh":
            spread = ("各委员会采纳率的差异不超过随机波动，全部收缩到总体水平" if self.at_bound
                      else f"先验相当于{m:.0f}件提案的信息，提案越少的委员会越向总体均值收缩")
            text = (f"{self.nobs}个委员会的总体采纳率估计为{mean:.1f}%；{spread}。"
                    f"收缩后排名第一的是{top['committee']}（{top['shrunk_rate']:.1f}%，"
                    f"95%区间 {top['lo']:.1f}%–{top['hi']:.1f}%）")
            if raw_top["committee"] != top["committee"]:
                text += (f"；按原始比率居首的{raw_top['committee']}只有{raw_top['trials']:.0f}件提案，"
                         f"收缩后为{raw_top['shrunk_rate']:.1f}%")
            if not moved:
                return text + "。收缩没有改变排名。"
            return text + f"。{self.nobs}个委员会中有{moved}个的名次因收缩而改变。"
        spread = ("the committees' rates differ no more than chance would make them, so every rate is "
                  "shrunk to the pooled rate" if self.at_bound else
                  f"the prior carries the weight of {m:.0f} proposals, so committees with few proposals "
                  "move most towards the pooled rate")
        text = (f"Across {self.nobs} committees the estimated typical adoption rate is {mean:.1f}%; {spread}. "
                f"After shrinkage {top['committee']} ranks first ({top['shrunk_rate']:.1f}%, 95% interval "
                f"{top['lo']:.1f}%–{top['hi']:.1f}%)")
        if raw_top["committee"] != top["committee"]:
            text += (f"; {raw_top['committee']}, first on its raw rate, has only {raw_top['trials']:.0f} "
                     f"proposals and is shrunk to {raw_top['shrunk_rate']:.1f}%")
        if not moved:
            return text + ". Shrinkage leaves the ranking unchanged."
        return text + f". Shrinkage changes the rank of {moved} of {self.nobs} committees."


def fit_shrinkage(panel: pd.DataFrame, year: int | None = None, denominator: Denominator = "filed") -> ShrinkageResult:
    """Shrink committee adoption rates towards a fitted beta-binomial prior.

    With ``year`` the committee-years of that year are used; otherwise each committee's
    counts are summed over its years.
    """
    data = adoption_counts(panel, denominator)
    if year is not None:
        data = data[data["year"] == year]
    data = data.groupby("committee", as_index=False)[["adopted", "trials"]].sum()
    if len(data) < MIN_COMMITTEES:
        where = "" if year is None else f" in {year}"
        where_zh = "" if year is None else f"（{year}年）"
        raise ModelNotEstimable(f"needs adoption counts for ≥ {MIN_COMMITTEES} committees{where}; found {len(data)}",
                                f"需要至少 {MIN_COMMITTEES} 个委员会{where_zh}的采纳数；现有 {len(data)} 个")
    x, n = data["adopted"].to_numpy(float), data["trials"].to_numpy(float)
    pooled = x.sum() / n.sum()
    if pooled <= 0 or pooled >= 1:
        raise ModelNotEstimable(f"needs some adopted and some not adopted proposals; the pooled rate is {100 * pooled:.0f}%",
                                f"需要既有采纳也有未采纳的提案；合并采纳率为 {100 * pooled:.0f}%")
    # Start from the method of moments: between-committee variance beyond binomial noise.
    p = x / n
    excess = max(np.var(p, ddof=1) - np.mean(pooled * (1 - pooled) / n), 1e-6)
    m0 = float(np.clip(pooled * (1 - pooled) / excess - 1, 1.0, MAX_PRIOR_STRENGTH / 10))
    start = np.array([math.log(pooled / (1 - pooled)), math.log(m0)])
    bounds = [(-20, 20), (math.log(1e-3), math.log(MAX_PRIOR_STRENGTH))]
    opt = optimize.minimize(_betabinom_negloglike, start, args=(x, n), method="L-BFGS-B", bounds=bounds)
    theta = opt.x
    # The likelihood is flat in the strength when rates do not spread beyond binomial noise;
    # then the optimiser stops anywhere large, so test the bound itself.
    at_max = np.array([theta[0], math.log(MAX_PRIOR_STRENGTH)])
    at_bound = _betabinom_negloglike(at_max, x, n) <= opt.fun + 1e-6
    if at_bound:
        theta = at_max
    mu, m = 1 / (1 + math.exp(-theta[0])), math.exp(theta[1])
    # Standard errors from the observed information on the (logit mean, log strength) scale.
    hess = approx_hess(theta, _betabinom_negloglike, args=(x, n))
    with np.errstate(invalid="ignore", divide="ignore"):
        try:
            cov = np.linalg.inv(hess)
            se = np.sqrt(np.diag(cov)) if np.all(np.diag(cov) > 0) else np.full(2, np.nan)
        except np.linalg.LinAlgError:
            se = np.full(2, np.nan)
    if at_bound:
        se[1] = np.nan
    names = ["prior_mean", "prior_strength"]
    params = pd.Series([mu, m], index=names)
    bse = pd.Series([se[0] * mu * (1 - mu), se[1] * m], index=names)  # delta method
    a_post, b_post = mu * m + x, (1 - mu) * m + n - x
    table = data.assign(
        raw_rate=100 * p,
        shrunk_rate=100 * a_post / (a_post + b_post),
        lo=100 * stats.beta.ppf(0.025, a_post, b_post),
        hi=100 * stats.beta.ppf(0.975, a_post, b_post),
        weight=n / (n + m),
    )
    table["rank"] = table["shrunk_rate"].rank(ascending=False, method="first").astype(int)
    table = table.sort_values("rank").reset_index(drop=True)
    return ShrinkageResult(params=params, bse=bse, committees=table, nobs=len(data), loglike=-float(opt.fun),
                           at_bound=bool(at_bound), denominator=denominator, year=year,
                           _theta=(float(theta[0]), float(theta[1])), _theta_se=(float(se[0]), float(se[1])))


# --------------------------------------------------------------------------- all models


class NotEstimable(str):
    """The plain reason a model could not be estimated (English, as a ``str``); ``zh`` in Chinese."""

    zh: str

    def __new__(cls, reason: str, zh: str | None = None) -> NotEstimable:
        obj = super().__new__(cls, reason)
        obj.zh = zh or reason
        return obj

    def text(self, lang: str = "en") -> str:
        return self.zh if lang == "zh" else str(self)


def try_fit(fit: Callable[..., Any], panel: pd.DataFrame, **kwargs: Any) -> Any:
    """``fit(panel, **kwargs)``, or the plain reason (a ``NotEstimable`` string) when it is not estimable."""
    try:
        return fit(panel, **kwargs)
    except ModelNotEstimable as exc:
        return NotEstimable(str(exc), exc.zh)


def fit_all(panel: pd.DataFrame, denominator: Denominator = "filed") -> dict[str, Any]:
    """The three models on ``panel``: ``{"glm", "shrinkage", "trend"}`` → result or reason string."""
    return {
        "glm": try_fit(fit_adoption_glm, panel, denominator=denominator),
        "shrinkage": try_fit(fit_shrinkage, panel, denominator=denominator),
        "trend": try_fit(fit_trend, panel, denominator=denominator),
    }
