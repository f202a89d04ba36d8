"""The figures of one table and its avatars: projections, explained variance, contributions,
distributions, correlations and the privacy distributions (see :mod:`avatars.plots`)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd

from avatars._plot_style import (
    AVATAR_COLOR,
    METRIC_TITLES,
    ORIGINAL_COLOR,
    PER_PAGE,
    TARGET_COLOR,
    CorrelationDataLike,
    DistributionDataLike,
    VariableDistributionLike,
    matplotlib_module,
    new_figure,
    percent,
    percent_axis,
    short_label,
    styled,
)
from avatars.plot_data import (
    correlation_data,
    first_axes,
    sample_rows,
    variable_distributions,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


# --- projections -------------------------------------------------------------------------------


@styled
def plot_projections(
    records: npt.ArrayLike,
    avatars: npt.ArrayLike,
    *,
    variance_ratio: Sequence[float] | None = None,
    n_total: int | None = None,
    max_points: int = 2_000,
    seed: int = 0,
) -> Figure:
    """Originals and avatars in the first two axes of the FAMD fitted on the originals.

    Args:
        records: shape (n, ≥ 1), the originals' coordinates (``Projections.records``).
        avatars: shape (m, ≥ 1), the avatars' coordinates (``Projections.avatars``).
        variance_ratio: share of variance of each axis (``ExplainedVariance.ratio``), for labels.
        n_total: rows of the table when ``records`` is already a sample of it (for the title).
        max_points: at most this many seeded points of each table are drawn.
        seed: seed of that sample (the same rows of both tables when they are row-aligned).
    """
    x, a = first_axes(records), first_axes(avatars)
    x_shown = x[sample_rows(len(x), max_points, seed)]
    a_shown = a[sample_rows(len(a), max_points, seed if len(a) == len(x) else seed + 1)]
    figure = new_figure(3.6)
    axes = figure.add_subplot()
    size = 9.0 if len(x_shown) <= 500 else 3.0
    for points, colour, label in (
        (x_shown, ORIGINAL_COLOR, "originals"),
        (a_shown, AVATAR_COLOR, "avatars"),
    ):
        axes.scatter(points[:, 0], points[:, 1], s=size, c=colour, alpha=0.6, lw=0, label=label)
    ratio = list(variance_ratio or [])
    labels = [
        f"Dim. {i + 1}" + (f" ({percent(ratio[i])} of the variance)" if i < len(ratio) else "")
        for i in range(2)
    ]
    axes.set_xlabel(labels[0])
    axes.set_ylabel(labels[1])
    axes.axhline(0, color="0.85", lw=0.6, zorder=0)
    axes.axvline(0, color="0.85", lw=0.6, zorder=0)
    total = max(n_total or 0, len(x))
    note = f": a random {len(x_shown):,} of {total:,} individuals" if len(x_shown) < total else ""
    axes.set_title(f"Originals and avatars in the first two FAMD axes{note}")
    axes.legend(loc="best", markerscale=2.5 if size < 5 else 1.5, frameon=False)
    return figure


# --- explained variance and contributions ----------------------------------------------------


@styled
def plot_explained_variance(
    ratio: Sequence[float],
    *,
    ncp: int | None = None,
    components: Sequence[str] | None = None,
    max_components: int = 20,
) -> Figure:
    """Share of variance of each FAMD component, and the running total.

    Args:
        ratio: ``ExplainedVariance.ratio``, in component order.
        ncp: components used for the neighbour search, marked when given.
        components: component names ("Dim. 1", ...), for the ticks.
        max_components: components shown.
    """
    shares = 100 * np.asarray(ratio, dtype=np.float64)[:max_components]
    dims = np.arange(1, len(shares) + 1)
    figure = new_figure(2.6)
    axes = figure.add_subplot()
    axes.bar(dims, shares, color=ORIGINAL_COLOR, width=0.7, label="component")
    axes.plot(dims, np.cumsum(shares), color="0.25", marker="o", ms=3, lw=1, label="cumulated")
    if ncp is not None and 0 < ncp <= len(shares):
        kept = float(np.sum(shares[:ncp]))
        axes.axvline(ncp + 0.5, color=TARGET_COLOR, ls="--", lw=1)
        last = ncp >= len(shares)
        axes.annotate(
            f"ncp = {ncp}: {kept:.1f} % of the variance\nlocates the neighbours",
            xy=(ncp + 0.5, 60),
            xytext=(-5 if last else 5, 0),
            textcoords="offset points",
            ha="right" if last else "left",
            va="center",
            color=TARGET_COLOR,
        )
    names = list(components or [])[: len(dims)]
    ticks = [n.replace("Dim. ", "") for n in names] if len(names) == len(dims) else None
    axes.set_xticks(dims, ticks if ticks else [str(d) for d in dims])
    axes.set_xlabel("component")
    axes.set_ylabel("share of the variance (%)")
    axes.set_ylim(0, 105)
    axes.set_title("Explained variance of the FAMD fitted on the originals")
    axes.legend(loc="upper left", frameon=False)
    return figure


@styled
def plot_contributions(
    contributions: Mapping[str, Mapping[str, float]],
    *,
    components: int = 2,
    top: int = 15,
) -> Figure:
    """Contribution (%) of each variable to the first components (``Contributions.data``).

    The dashed line is the contribution every variable would have if all contributed equally.

    Args:
        contributions: component name → variable → contribution in percent.
        components: how many components (panels) to show.
        top: variables shown per component, largest first.
    """
    names = list(contributions)[:components]
    longest = max((len(contributions[n]) for n in names), default=1)
    figure = new_figure(max(2.0, 0.7 + 0.16 * min(top, longest)))
    for index, name in enumerate(names):
        axes = figure.add_subplot(1, max(1, len(names)), index + 1)
        values = sorted(contributions[name].items(), key=lambda item: item[1], reverse=True)
        shown = values[:top][::-1]
        axes.barh(
            [short_label(k, 20) for k, _ in shown], [v for _, v in shown], color=ORIGINAL_COLOR
        )
        if values:
            axes.axvline(100 / len(values), color=TARGET_COLOR, ls="--", lw=0.8)
        more = f" (top {top} of {len(values)})" if len(values) > top else ""
        axes.set_title(f"{name}{more}")
        axes.set_xlabel("contribution (%)")
    figure.suptitle(
        "Variable contributions to the first components (dashed: equal share)", fontsize=8.5
    )
    return figure


# --- distributions -----------------------------------------------------------------------------


def _draw_distribution(axes: Axes, item: VariableDistributionLike) -> None:
    x = np.asarray(item.original, dtype=np.float64)
    a = np.asarray(item.avatars, dtype=np.float64)
    if item.bin_edges is None:
        labels = [short_label(label, 12) for label in item.labels]
        if item.original_missing or item.avatars_missing:
            labels.append("missing")
            x, a = np.append(x, item.original_missing), np.append(a, item.avatars_missing)
        positions = np.arange(len(labels))
        axes.bar(positions - 0.2, x, width=0.4, color=ORIGINAL_COLOR, label="originals")
        axes.bar(positions + 0.2, a, width=0.4, color=AVATAR_COLOR, label="avatars")
        rotate = sum(len(t) + 1 for t in labels) > 22  # the labels would touch
        axes.set_xticks(
            positions, labels, rotation=45 if rotate else 0, ha="right" if rotate else "center"
        )
    else:
        edges = np.asarray(item.bin_edges, dtype=np.float64)
        if item.kind == "datetime":
            edges = edges / 86_400  # matplotlib dates: days since 1970-01-01
            dates = matplotlib_module().dates
            locator = dates.AutoDateLocator(minticks=2, maxticks=4)
            axes.xaxis.set_major_locator(locator)
            axes.xaxis.set_major_formatter(dates.ConciseDateFormatter(locator))
        axes.stairs(x, edges, fill=True, color=ORIGINAL_COLOR, alpha=0.4, label="originals")
        axes.stairs(a, edges, color=AVATAR_COLOR, lw=1.5, label="avatars")
        axes.stairs(x, edges, color=ORIGINAL_COLOR, lw=0.7)
        axes.tick_params(axis="x", labelsize=6.5)
    axes.set_ylim(bottom=0)
    percent_axis(axes)
    axes.tick_params(axis="y", labelsize=6.5)
    notes = []
    if item.hellinger is not None:
        notes.append(f"Hellinger {item.hellinger:.3f}")
    if item.bin_edges is not None and (item.original_missing or item.avatars_missing):
        notes.append(f"missing {percent(item.original_missing)} / {percent(item.avatars_missing)}")
    title = short_label(item.name, 30) + ("\n" + ", ".join(notes) if notes else "")
    axes.set_title(title, fontsize=7.5)


@styled
def plot_distribution_page(
    distributions: Sequence[VariableDistributionLike], *, columns: int = 3
) -> Figure:
    """Small multiples: each variable's distribution, originals (blue) vs avatars (orange).

    Bars give the share of each table's rows in each bin or modality, the same bins for both
    tables (``plot_data.variable_distribution`` uses the bins of the Hellinger distance); the
    variable's Hellinger distance, when known, heads the panel.
    """
    rows = max(1, math.ceil(len(distributions) / columns))
    figure = new_figure(0.35 + 1.8 * rows)
    grid = figure.subplots(rows, columns, squeeze=False)
    for index, axes in enumerate(grid.flat):
        if index < len(distributions):
            _draw_distribution(axes, distributions[index])
        else:
            axes.set_axis_off()
    handles, labels = grid.flat[0].get_legend_handles_labels()
    figure.legend(handles[:2], labels[:2], loc="outside upper right", ncols=2, frameon=False)
    return figure


def plot_distributions(
    original: pd.DataFrame | Sequence[VariableDistributionLike],
    avatars: pd.DataFrame | None = None,
    *,
    per_page: int = PER_PAGE,
) -> list[Figure]:
    """Every variable's distribution, originals vs avatars, as pages of small multiples.

    Args:
        original: the original DataFrame, or distributions (``plot_data.variable_distributions``
            or a report's ``figures.distributions``).
        avatars: the avatars DataFrame, when ``original`` is a DataFrame.
        per_page: panels per figure.

    Returns:
        One figure per ``per_page`` variables, in column order.

    Raises:
        ValueError: ``original`` is a DataFrame and ``avatars`` is missing.
    """
    if isinstance(original, pd.DataFrame):
        if avatars is None:
            raise ValueError("Pass the avatars DataFrame with the original DataFrame.")
        summaries: Sequence[VariableDistributionLike] = variable_distributions(original, avatars)
    else:
        summaries = list(original)
    pages = [summaries[i : i + per_page] for i in range(0, len(summaries), per_page)]
    return [plot_distribution_page(page) for page in pages]


# --- correlations -------------------------------------------------------------------------------


def _matrix(rows: Sequence[Sequence[float | None]]) -> npt.NDArray[np.float64]:
    return np.array([[np.nan if v is None else v for v in row] for row in rows], dtype=np.float64)


def _heatmap(
    figure: Figure,
    axes: Axes,
    matrix: npt.NDArray[np.float64],
    labels: Sequence[str],
    vmax: float,
    first: bool,
) -> None:
    image = axes.imshow(matrix, cmap="RdBu_r", vmin=-vmax, vmax=vmax, interpolation="nearest")
    ticks = np.arange(len(labels))
    short = [short_label(label, 16) for label in labels]
    size = 6.5 if len(labels) <= 12 else max(3.0, 6.5 * 12 / len(labels))
    axes.set_xticks(ticks, short, rotation=90, fontsize=size)
    axes.set_yticks(ticks, short if first else [], fontsize=size)
    axes.spines[:].set_visible(False)
    if len(labels) <= 8:
        for (i, j), value in np.ndenumerate(matrix):
            if not np.isnan(value):
                colour = "white" if abs(value) > 0.6 * vmax else "black"
                axes.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=6, color=colour)
    figure.colorbar(image, ax=axes, shrink=0.8, location="bottom", pad=0.02, aspect=25)


def _most_changed(difference: npt.NDArray[np.float64], keep: int) -> npt.NDArray[np.int64]:
    """The ``keep`` variables whose associations changed most (mean |difference|), in order."""
    with np.errstate(invalid="ignore"):
        change = np.nanmean(np.abs(difference), axis=1)
    change = np.nan_to_num(change, nan=0.0)
    return np.sort(np.argsort(-change, kind="stable")[:keep]).astype(np.int64)


@styled
def plot_correlations(
    original: pd.DataFrame | CorrelationDataLike,
    avatars: pd.DataFrame | None = None,
    *,
    max_variables: int = 30,
) -> Figure:
    """Association matrices of the originals and the avatars, and avatars − originals.

    Pearson r between continuous variables, the correlation ratio η between a categorical and a
    continuous one, Cramér's V between categorical ones; grey cells are undefined. Beyond
    ``max_variables`` variables, the ones whose associations changed most are shown (in their
    column order), so that labels stay readable.

    Args:
        original: the original DataFrame, or ``plot_data.correlation_data`` / a report's
            ``figures.correlations``.
        avatars: the avatars DataFrame, when ``original`` is a DataFrame.
        max_variables: variables shown at most.

    Raises:
        ValueError: ``original`` is a DataFrame and ``avatars`` is missing.
    """
    if isinstance(original, pd.DataFrame):
        if avatars is None:
            raise ValueError("Pass the avatars DataFrame with the original DataFrame.")
        data: CorrelationDataLike = correlation_data(original, avatars)
    else:
        data = original
    x, a, difference = _matrix(data.original), _matrix(data.avatars), _matrix(data.difference)
    labels = list(data.variables)
    title = f"Associations between variables ({data.method})"
    if len(labels) > max_variables:
        kept = _most_changed(difference, max_variables)
        x, a, difference = (m[np.ix_(kept, kept)] for m in (x, a, difference))
        title += f"\nthe {max_variables} of {len(labels)} variables that changed most"
        labels = [labels[i] for i in kept]
    finite = np.abs(difference[np.isfinite(difference)])
    spread = max(0.1, float(finite.max())) if finite.size else 0.1
    figure = new_figure(3.3)  # square panels: the width sets the height
    panels = figure.subplots(1, 3)
    for index, (matrix, name, vmax) in enumerate(
        (
            (x, "originals", 1.0),
            (a, "avatars", 1.0),
            (difference, f"avatars − originals (scale ±{spread:.2f})", spread),
        )
    ):
        panels[index].set_facecolor("0.9")  # undefined cells show grey
        _heatmap(figure, panels[index], matrix, labels, vmax, index == 0)
        panels[index].set_title(name)
    figure.suptitle(title, fontsize=8.5)
    return figure


# --- privacy distributions ---------------------------------------------------------------------

_X_LABELS = {
    "local_cloaking": "other avatars at least as close\nto a person as their own avatar",
    "distance_to_closest": "distance from an avatar\nto its closest original",
    "closest_distances_ratio": "closest / second-closest\noriginal distance, per avatar",
}


def _draw_metric(axes: Axes, item: DistributionDataLike, zero_share: float | None) -> None:
    edges = np.asarray(item.bin_edges, dtype=np.float64)
    counts = np.asarray(item.counts, dtype=np.float64)
    shares = counts / max(1.0, counts.sum())
    axes.stairs(shares, edges, fill=True, color=AVATAR_COLOR, alpha=0.8)
    title = METRIC_TITLES.get(item.name, item.name)
    if item.threshold is not None:
        axes.axvline(item.threshold, color=TARGET_COLOR, ls="--", lw=1.1, label="target")
    if item.median is not None:
        passed = item.threshold is None or item.median > item.threshold
        axes.axvline(item.median, color="0.1", lw=1.4, label="median (the metric)")
        shown = f"{item.median:.3g}"
        target = "" if item.threshold is None else f" vs > {item.threshold:g}"
        verdict = "" if item.threshold is None else (": passed" if passed else ": NOT passed")
        title += f"\nmedian {shown}{target}{verdict}"
    if zero_share is not None and item.name == "local_cloaking":
        title += f"\n{zero_share:.1f} % at 0 (own avatar closest)"
    axes.set_xlim(edges[0], edges[-1])
    axes.set_ylim(bottom=0)
    percent_axis(axes)
    axes.set_title(title)
    axes.set_xlabel(_X_LABELS.get(item.name, item.name), fontsize=7)


@styled
def plot_privacy_distributions(
    distributions: Sequence[DistributionDataLike],
    *,
    local_cloaking_zero_share: float | None = None,
) -> Figure:
    """Per-individual local cloaking, distance to closest and closest-distances ratio.

    Each panel shows the distribution, the median that is reported as the metric (solid) and the
    target (dashed); the title says whether it passes. Individuals left of the target are the
    ones at risk.

    Args:
        distributions: ``plot_data.distribution_data`` results or a report's figure data.
        local_cloaking_zero_share: percent of individuals whose own avatar is their closest.
    """
    figure = new_figure(2.5)
    panels = figure.subplots(1, max(1, len(distributions)), squeeze=False)[0]
    for axes, item in zip(panels, distributions, strict=False):
        _draw_metric(axes, item, local_cloaking_zero_share)
    panels[0].set_ylabel("share of individuals")
    legend = {
        label: handle
        for axes in panels
        for handle, label in zip(*axes.get_legend_handles_labels(), strict=True)
    }
    figure.legend(
        legend.values(), legend.keys(), loc="outside lower center", ncols=2, frameon=False
    )
    return figure
