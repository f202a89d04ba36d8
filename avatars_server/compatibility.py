"""Client compatibility verdicts from the User-Agent header (API reference §2.2)."""

from __future__ import annotations

import re

from avatars_server.schemas.auth import CompatibilityResponse, CompatibilityStatus

_AGENT = re.compile(r"^\s*(avatar-python|avatars)/(\d+)\.(\d+)\.(\d+)\S*")
PUBLISHED_CLIENT_RANGE = ((0, 7, 0), (0, 8, 0))
MOST_RECENT_PUBLISHED_CLIENT = "0.7.3"


def _series(version: tuple[int, int, int]) -> tuple[int, ...]:
    """The part of a version that must match: major, or major.minor while below 1.0."""
    return version[:2] if version[0] == 0 else version[:1]


def _compatible(most_recent: str) -> CompatibilityResponse:
    return CompatibilityResponse(
        status=CompatibilityStatus.compatible,
        message="Your client is compatible with this server.",
        most_recent_compatible_client=most_recent,
    )


def check_client(user_agent: str | None, server_version: str) -> CompatibilityResponse:
    match = _AGENT.match(user_agent or "")
    if match is None:
        return CompatibilityResponse(
            status=CompatibilityStatus.unknown,
            message=(
                "Unknown client. Clients identify themselves with a User-Agent of the form "
                "'avatars/X.Y.Z' (this project's client) or 'avatar-python/X.Y.Z' (published)."
            ),
            most_recent_compatible_client=None,
        )
    family = match.group(1)
    version = (int(match.group(2)), int(match.group(3)), int(match.group(4)))
    if family == "avatar-python":
        low, high = PUBLISHED_CLIENT_RANGE
        if low <= version < high:
            return _compatible(MOST_RECENT_PUBLISHED_CLIENT)
        return CompatibilityResponse(
            status=CompatibilityStatus.incompatible,
            message=(
                "This server speaks the 0.7.x API. Install a 0.7.x client, e.g. "
                f"'pip install octopize-avatar=={MOST_RECENT_PUBLISHED_CLIENT}'."
            ),
            most_recent_compatible_client=MOST_RECENT_PUBLISHED_CLIENT,
        )
    numbers = [int(part) for part in re.findall(r"\d+", server_version)] + [0, 0, 0]
    server_triplet = (numbers[0], numbers[1], numbers[2])
    if _series(version) == _series(server_triplet):
        return _compatible(server_version)
    return CompatibilityResponse(
        status=CompatibilityStatus.incompatible,
        message=(
            f"Your client ({'.'.join(map(str, version))}) does not match this server "
            f"({server_version}). Install avatars=={server_version}."
        ),
        most_recent_compatible_client=server_version,
    )
