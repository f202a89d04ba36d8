"""Time series (method-extended.md §2): grid, FPCA, individual table, reconstruction, metrics.

Pure: DataFrames in, DataFrames and metric values out. Modules:

- ``columns`` (§2.2): identifier, time and value columns.
- ``grid`` (§2.3): points, support, common or normalised grid, interpolation.
- ``projection`` (§2.4): FPCA (exact) or flatten, and the block weights of §2.5.
- ``individuals`` (§2.5): the individual table of each series dataset.
- ``avatarization`` (§2.6): the core engine on the individual table;
  ``reconstruction`` (§2.7-§2.8): each avatar's series on its own support, the output tables.
- ``metrics`` (§2.9-§2.10): privacy on projected individuals, pointwise and density Hellinger.

Choices where §2 is open:

- a shared is-missing indicator of a block weighs the user weight of its variable (default 1);
- Var(c) of the block weights is taken over the individuals whose block is observed;
- avatars of individuals absent from a series table that draw "present" come after the others
  in the unshuffled series table, in individual order;
- a density feature is skipped when originals and avatars all share one value.
"""

from avatars_server.engine.timeseries.avatarization import (
    TableInput,
    TableResult,
    TimeSeriesOutput,
    avatarize_with_time_series,
)
from avatars_server.engine.timeseries.projection import FPCA, Flatten, ProjectionSpec

__all__ = [
    "FPCA",
    "Flatten",
    "ProjectionSpec",
    "TableInput",
    "TableResult",
    "TimeSeriesOutput",
    "avatarize_with_time_series",
]
