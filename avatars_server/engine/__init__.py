"""The Avatar engine: avatarization and privacy and signal metrics.

A pure library: DataFrames and parameters in, DataFrames and metric values out. It imports no web,
database or job code and does no file I/O. The definitions are those of ``method.md`` (project
shared material); the modules follow its sections:

- ``config`` (§2.1, §2.3): parameters, targets, checks that need no data; ``errors``: AvatarError.
- ``table`` (§2.2): column roles from dtypes, codes; ``restore`` (§3.9): back to the input format.
- ``identifiers``: surrogate keys of identifier columns (method-extended.md §0.2);
  ``exclusion``: ``exclude_categorical`` (docs/method.md §3.13).
- ``imputation`` (§3.3), ``projection`` (§3.4, exact FAMD from the Gram matrix),
  ``neighbours`` (§3.5, exact KD-tree search; the tree itself in ``kdtree``), ``avatarize``
  (§3.6-3.10), ``random`` (§3.11).
- ``metric_space`` (§4), ``distances`` (§5.1-5.5), ``matching`` (§5.6-5.8),
  ``inference`` (§5.9-5.12), ``privacy`` (the result), ``signal`` (§6).
- extended tier (``method-extended.md``): ``identifiers`` (§0.2 surrogate keys), ``multitable/``
  (§3: graph, enrichment, linking, group-aware privacy, utility checks), ``geolocation`` (§4).

The categorical draw is the normative procedure of method.md §3.8 (levels sorted, cumulative
sums compared with the uniform draw of the categorical stream); where method.md leaves a detail
open, this engine's decisions, and every fallback it takes, are listed with their reasons in
``docs/method.md`` §9. In short:

- the missing level of a categorical variable is its last level, after the sorted modalities;
- categorical variables are drawn in input order, then the is-missing indicators in the order
  of their continuous columns;
- neighbour and knn-imputation ties use the tolerance of §4 (1e-9·max(1, d));
- knn imputation z-scores with the observed mean and sd of the training subset;
- datetimes keep second resolution (days for date-only columns, sub-seconds up to 9 decimals).
"""

from avatars_server.engine.avatarize import AvatarizationOutput, avatarize
from avatars_server.engine.config import (
    PRIVACY_TARGETS,
    SIGNAL_TARGETS,
    AvatarizationConfig,
    ImputationConfig,
    PrivacyConfig,
    check_avatarization_parameters,
    check_privacy_parameters,
)
from avatars_server.engine.errors import AvatarError
from avatars_server.engine.privacy import PrivacyMetricsResult, compute_privacy_metrics
from avatars_server.engine.signal import SignalMetricsResult, compute_signal_metrics
from avatars_server.engine.threads import configure_threads

configure_threads()

__all__ = [
    "PRIVACY_TARGETS",
    "SIGNAL_TARGETS",
    "AvatarError",
    "AvatarizationConfig",
    "AvatarizationOutput",
    "ImputationConfig",
    "PrivacyConfig",
    "PrivacyMetricsResult",
    "SignalMetricsResult",
    "avatarize",
    "check_avatarization_parameters",
    "check_privacy_parameters",
    "compute_privacy_metrics",
    "compute_signal_metrics",
]
