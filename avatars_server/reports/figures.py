"""A report's figures as SVG, drawn by :mod:`avatars.plots` from the content's bounded data.

Both renderers (PDF and HTML) take their figures from here, so they show the same pictures.
matplotlib is imported when the first figure is drawn, never when the app starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from avatars_server.reports.content import Figures, ReportContent, TrajectorySample

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

_XML_PROLOGUE = re.compile(r"<\?xml[^>]*\?>\s*|<!DOCTYPE[^>]*>\s*")
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)


@dataclass(frozen=True)
class RenderedFigure:
    """One figure of a report.

    Attributes:
        key: stable identifier (``projection``, ``distributions-2``...), unique in a report.
        title: heading of the figure.
        caption: what the figure shows and how to read it, in plain words.
        svg: a standalone SVG document without XML prologue or metadata (no external reference).
    """

    key: str
    title: str
    caption: str
    svg: str


def _clean(svg: str) -> str:
    """Drop the XML declaration, DOCTYPE and RDF metadata: they hold URLs and nothing we show."""
    return _METADATA.sub("", _XML_PROLOGUE.sub("", svg)).strip()


def _ncp(content: ReportContent) -> int | None:
    settings = content.parameters.avatarization
    if settings is not None and settings.ncp_used is not None:
        return settings.ncp_used
    return content.parameters.metrics.ncp


def trajectory_frames(sample: TrajectorySample) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The stored trajectory sample as the point tables ``plot_trajectories`` takes (time is
    the point order: the sample is already sorted by time)."""
    import pandas as pd

    def frame(ids: list[str], lat: list[float], lon: list[float]) -> pd.DataFrame:
        return pd.DataFrame({"id": ids, "t": range(len(ids)), "lat": lat, "lon": lon})

    return (
        frame(sample.original_ids, sample.original_lat, sample.original_lon),
        frame(sample.avatars_ids, sample.avatars_lat, sample.avatars_lon),
    )


def render_figures(content: ReportContent) -> list[RenderedFigure]:
    """Every figure the content has data for, in report order.

    Raises:
        ImportError: matplotlib is not installed (the server's ``server`` extra installs it).
    """
    from avatars import plots

    figures: Figures = content.figures
    out: list[tuple[str, str, str, Figure]] = []
    variance = figures.explained_variance
    if figures.projection is not None and figures.projection.original:
        sample = figures.projection
        out.append(
            (
                "projection",
                "Originals and avatars in the projection",
                "Each dot is one individual (blue) or one avatar (orange), placed by the first two "
                "axes of the FAMD fitted on the originals. Avatars should cover the same regions "
                "as the originals (the signal is kept) without sitting on top of single dots.",
                plots.plot_projections(
                    sample.original,
                    sample.avatars,
                    variance_ratio=variance.ratio if variance else None,
                    n_total=sample.n_total,
                    seed=sample.sample_seed,
                ),
            )
        )
    if variance is not None and variance.ratio:
        out.append(
            (
                "explained-variance",
                "Explained variance",
                "Share of the variance of the original data carried by each FAMD component. The "
                "dashed line marks the components used to find each individual's neighbours.",
                plots.plot_explained_variance(
                    variance.ratio, ncp=_ncp(content), components=variance.components
                ),
            )
        )
    contributions = figures.contributions
    if contributions is not None and contributions.variables:
        data = {
            component: {
                variable: contributions.values[v][c]
                for v, variable in enumerate(contributions.variables)
            }
            for c, component in enumerate(contributions.components)
        }
        out.append(
            (
                "contributions",
                "Variable contributions",
                "How much each variable shapes the first components (percent, each component "
                "sums to 100). Variables beyond the dashed line weigh more than an equal share.",
                plots.plot_contributions(data),
            )
        )
    pages = plots.plot_distributions(figures.distributions)
    for index, page in enumerate(pages):
        more = f" ({index + 1} of {len(pages)})" if len(pages) > 1 else ""
        out.append(
            (
                f"distributions-{index + 1}",
                f"Distributions of the variables{more}",
                "Share of the rows in each bin (continuous variables) or modality (categorical "
                "variables), the same bins for both tables: originals in blue, avatars in "
                "orange. Each variable's Hellinger distance heads its panel (0 = identical).",
                page,
            )
        )
    if figures.correlations is not None and figures.correlations.variables:
        out.append(
            (
                "correlations",
                "Correlations",
                "Association between every pair of variables in the originals and in the "
                "avatars, and the difference. Pale cells in the difference mean the "
                "relationships between variables were kept.",
                plots.plot_correlations(figures.correlations),
            )
        )
    privacy = [
        d
        for d in (
            figures.local_cloaking,
            figures.distance_to_closest,
            figures.closest_distances_ratio,
        )
        if d is not None
    ]
    if privacy:
        out.append(
            (
                "privacy-distributions",
                "Privacy, individual by individual",
                "The metrics above are medians; these are the whole distributions. Individuals "
                "left of the dashed target line are the ones least protected.",
                plots.plot_privacy_distributions(
                    privacy, local_cloaking_zero_share=content.privacy.local_cloaking_zero_share
                ),
            )
        )
    section = content.geolocation
    if section is not None and section.trajectories is not None:
        trips = section.trajectories
        original, avatars = trajectory_frames(trips)
        out.append(
            (
                "trajectories",
                "Original and treated trajectories",
                f"A random {trips.n_sampled:,} of the {trips.n_total:,} trajectories, each "
                "drawn as its points joined in time order (longitude across, latitude up): the "
                "originals on the left, the same trajectories as treated on the right. Treated "
                "trajectories that retrace the originals point for point are easy to link.",
                plots.plot_trajectories(
                    original,
                    avatars,
                    max_trajectories=max(1, trips.n_sampled),
                    max_points=trips.max_points,
                    n_total=trips.n_total,
                ),
            )
        )
    return [
        RenderedFigure(key, title, caption, _clean(plots.figure_svg(figure)))
        for key, title, caption, figure in out
    ]
