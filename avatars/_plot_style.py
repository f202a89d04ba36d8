"""Shared pieces of the figures: the lazy matplotlib import, the report style, input protocols.

Private to :mod:`avatars.plots`; nothing here imports matplotlib at import time.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, ParamSpec, Protocol, TypeVar

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

P = ParamSpec("P")
R = TypeVar("R")
INSTALL_HINT = 'pip install "avatars[plots]"'
ORIGINAL_COLOR = "#0072B2"  # Okabe-Ito blue
AVATAR_COLOR = "#E69F00"  # Okabe-Ito orange
TARGET_COLOR = "#D55E00"  # Okabe-Ito vermilion: thresholds
PASS_COLOR = "#009E73"
WIDTH = 6.7  # inches: A4 minus 2 × 2 cm margins
_STYLE = {
    "font.size": 8,
    "axes.titlesize": 8.5,
    "axes.labelsize": 8,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "legend.fontsize": 7,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.fonttype": "path",  # text as paths: the SVG looks the same without the font
    "svg.hashsalt": "avatars",  # stable ids: the same figure gives the same SVG
    "text.parse_math": False,  # column labels are text: "$x^$" is not TeX
}
PER_PAGE = 12  # variables in one page of small multiples (4 rows × 3 columns)

# Plain names of the metrics the figures show.
METRIC_TITLES = {
    "local_cloaking": "Local cloaking",
    "distance_to_closest": "Distance to closest",
    "closest_distances_ratio": "Closest distances ratio",
}


class VariableDistributionLike(Protocol):
    """What a distribution panel reads (``plot_data.VariableDistribution`` or a report's)."""

    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def labels(self) -> Sequence[str]: ...
    @property
    def bin_edges(self) -> Sequence[float] | None: ...
    @property
    def original(self) -> Sequence[float]: ...
    @property
    def avatars(self) -> Sequence[float]: ...
    @property
    def original_missing(self) -> float: ...
    @property
    def avatars_missing(self) -> float: ...
    @property
    def hellinger(self) -> float | None: ...


class DistributionDataLike(Protocol):
    """What a privacy-distribution panel reads (``plot_data.DistributionData`` or a report's)."""

    @property
    def name(self) -> str: ...
    @property
    def bin_edges(self) -> Sequence[float]: ...
    @property
    def counts(self) -> Sequence[int]: ...
    @property
    def median(self) -> float | None: ...
    @property
    def threshold(self) -> float | None: ...
    @property
    def n(self) -> int: ...


class CorrelationDataLike(Protocol):
    """What the correlation figure reads (``plot_data.CorrelationData`` or a report's)."""

    @property
    def variables(self) -> Sequence[str]: ...
    @property
    def original(self) -> Sequence[Sequence[float | None]]: ...
    @property
    def avatars(self) -> Sequence[Sequence[float | None]]: ...
    @property
    def difference(self) -> Sequence[Sequence[float | None]]: ...
    @property
    def method(self) -> str: ...


def matplotlib_module() -> ModuleType:
    """matplotlib, or the clear error saying how to install it."""
    try:
        import matplotlib
        import matplotlib.dates
        import matplotlib.figure
        import matplotlib.patches
        import matplotlib.ticker
    except ImportError as exc:
        raise ImportError(
            f"The avatars plots need matplotlib, an optional extra. Install it with: {INSTALL_HINT}"
        ) from exc
    return matplotlib


def new_figure(height: float) -> Figure:
    """An empty figure of the report's width (no pyplot: nothing global is touched)."""
    figure: Figure = matplotlib_module().figure.Figure(
        figsize=(WIDTH, height), layout="constrained"
    )
    return figure


def styled(function: Callable[P, R]) -> Callable[P, R]:
    """Run a drawing function with the report style (fonts, spines) in force."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with matplotlib_module().rc_context(_STYLE):
            return function(*args, **kwargs)

    return wrapper


def figure_svg(figure: Figure) -> str:
    """The figure as a standalone SVG document (text as paths, no date, stable ids)."""
    buffer = io.StringIO()
    with matplotlib_module().rc_context(_STYLE):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def percent_axis(axes: Axes) -> None:
    """Shares on the y axis shown as percentages (decimals only where ticks need them)."""
    axes.yaxis.set_major_formatter(
        matplotlib_module().ticker.PercentFormatter(xmax=1.0, decimals=None)
    )


def percent(value: float) -> str:
    return f"{100 * value:.1f} %"


def short_label(label: str, width: int) -> str:
    """``label`` cut to ``width`` characters, an ellipsis marking the cut."""
    return label if len(label) <= width else label[: width - 1] + "…"
