"""The report content model: JSON round trip, targets and conclusion."""

from __future__ import annotations

import json

import pytest

from avatars_server.reports.content import (
    ReportContent,
    conclude,
    example_content,
    metric_result,
    parse_target,
)


def test_content_round_trips_through_json() -> None:
    content = example_content()
    assert ReportContent.from_json(content.to_json()) == content


def test_json_is_strict_and_drops_non_finite_values() -> None:
    content = example_content()
    data = content.to_dict()
    data["privacy"]["metrics"][0]["value"] = float("nan")
    rebuilt = ReportContent.from_dict(data)
    text = rebuilt.to_json()
    assert "NaN" not in text
    assert json.loads(text)["privacy"]["metrics"][0]["value"] is None


def test_from_json_names_a_missing_field() -> None:
    data = example_content().to_dict()
    del data["provenance"]["privacy_job_id"]
    with pytest.raises(ValueError, match="privacy_job_id"):
        ReportContent.from_dict(data)


def test_from_json_refuses_a_newer_schema() -> None:
    data = example_content().to_dict()
    data["schema_version"] = 99
    with pytest.raises(ValueError, match="newer"):
        ReportContent.from_json(json.dumps(data))


@pytest.mark.parametrize(
    ("target", "expected"),
    [("> 90%", (90.0, "higher")), ("< 0.1", (0.1, "lower")), (None, (None, None))],
)
def test_parse_target(target: str | None, expected: tuple[float | None, str | None]) -> None:
    assert parse_target(target) == expected


def test_a_metric_passes_only_strictly_beyond_its_target() -> None:
    assert metric_result("hidden_rate", 90.0, "> 90%").passed is False
    assert metric_result("hidden_rate", 90.5, "> 90%").passed is True
    assert metric_result("hellinger_mean", 0.05, "< 0.1").passed is True
    assert metric_result("inference_continuous", None, "> 10").passed is None


def test_conclusion_lists_failed_targets_with_a_fix() -> None:
    metrics = [
        metric_result("local_cloaking", 2.0, "> 5"),
        metric_result("hidden_rate", 99, "> 90%"),
    ]
    conclusion = conclude(metrics)
    assert not conclusion.all_passed
    assert [f.name for f in conclusion.failed] == ["local_cloaking"]
    assert "raise k" in conclusion.failed[0].fix
    assert "local_cloaking" in conclusion.summary
