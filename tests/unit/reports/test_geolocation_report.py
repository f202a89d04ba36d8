"""The geolocation privacy report: trajectory sample, scenario content, rendering, verify-report."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pypdf
import pytest

from avatars import plots
from avatars.series_plot_data import sample_trajectories
from avatars_server.reports import geolocation
from avatars_server.reports.content import (
    Figures,
    GeolocationSection,
    PrivacySection,
    ReportContent,
    SignalSection,
    TrajectorySample,
    example_content,
    from_plain,
)
from avatars_server.reports.render_html import render_html
from avatars_server.reports.render_pdf import render_pdf
from avatars_server.reports.verify import verify

PORTO = Path(__file__).resolve().parents[2] / "data" / "extended" / "porto_taxi_200.csv"
SCENARIO = {
    "privacy_metrics": {
        "hidden_rate": 5.0,
        "local_cloaking": 0.0,
        "distance_to_closest": 0.1,
        "closest_distances_ratio": 0.5,
        "closest_rate": 95.0,
        "specific_hidden_rate": 14.5,
        "trace_correlation_protection_rate": 20.0,
        "inference_distances": [100.0, 300.0, 900.0],
        "thresholded_signal_inference_rate": 33.3,
    },
    "parameters": {
        "projection_parameters": {
            "projection_type": "geolocation_density",
            "n_lat_to_compute": 100,
            "n_lon_to_compute": 100,
        },
        "known_signal_position": "start",
        "target_signal_poi": "end",
        "inference_metric_threshold": 500,
    },
}


@pytest.fixture(scope="module")
def porto() -> pd.DataFrame:
    return pd.read_csv(PORTO)


@pytest.fixture(scope="module")
def content(porto: pd.DataFrame) -> ReportContent:
    recorded = geolocation.trajectory_artifacts(porto, porto.groupby("id").head(20), "id")
    scenarios = [geolocation.scenario_result(0, SCENARIO)]
    base = example_content()
    provenance = dataclasses.replace(
        base.provenance, kind="geolocation_privacy", avatarization_job_id=None, signal_job_id=None
    )
    report = dataclasses.replace(
        base,
        provenance=provenance,
        privacy=PrivacySection([], None),
        signal=SignalSection([], []),
        figures=Figures(None, None, None, [], None, None, None, None),
        conclusion=geolocation.conclusion(scenarios),
        notes=[geolocation.NO_SIGNAL_NOTE],
        geolocation=GeolocationSection(scenarios, from_plain(TrajectorySample, recorded["sample"])),
    )
    return ReportContent.from_json(report.to_json())  # what the renderers get: stored JSON


def test_the_sample_pairs_trajectories_by_id_sorted_by_time_and_thinned() -> None:
    rng = np.random.default_rng(0)
    frames = []
    for trip in range(80):
        n = 5 + 7 * trip
        frames.append(
            pd.DataFrame(
                {"id": f"trip{trip}", "t": rng.permutation(n), "lat": rng.random(n)}
            ).assign(lon=lambda f: f["t"].astype(float))
        )
    original = pd.concat(frames, ignore_index=True)
    treated = original.sample(frac=1.0, random_state=1)  # another row order
    x, a = sample_trajectories(original, treated, max_trajectories=30, max_points=40, seed=3)
    assert x["id"].nunique() == 30 and list(pd.unique(x["id"])) == list(pd.unique(a["id"]))
    for _, one in x.groupby("id"):
        times = one["t"].to_numpy()
        assert (np.diff(times) > 0).all() and len(times) <= 40
        full = original[original["id"] == one["id"].iloc[0]]
        assert times[0] == 0 and times[-1] == len(full) - 1  # first and last points kept
        if len(full) > 40:
            assert len(times) == 40
    assert x.equals(a)  # same trajectories, same points once sorted by time
    again, _ = sample_trajectories(original, treated, max_trajectories=30, max_points=40, seed=3)
    assert again.equals(x)


def test_scenario_metrics_meet_the_report_targets(content: ReportContent) -> None:
    assert content.geolocation is not None
    (scenario,) = content.geolocation.scenarios
    by_name = {m.name: m for m in scenario.metrics}
    assert by_name["hidden_rate"].target == "> 90%" and by_name["hidden_rate"].passed is False
    assert by_name["closest_rate"].passed is True
    assert by_name["distance_to_closest"].target is None  # unit depends on the projection
    assert by_name["features_inference_rate"].value is None
    assert scenario.inference_distance_median == 300.0
    assert scenario.inference_distance_count == 3
    assert "known part of each trace: its start" in scenario.summary
    assert "scenario 1: Hidden rate" in content.conclusion.summary


def test_pdf_and_html_show_every_scenario_metric_and_the_map(content: ReportContent) -> None:
    pdf = render_pdf(content)
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    for value in ("5.00", "14.50", "20.00", "33.30", "95.00"):
        assert value in text
    assert "Scenario 1" in text and "Original and treated trajectories" in text
    assert "Not computed: the scenario sets no known features" in text
    html = render_html(content)
    assert 'id="scenarios"' in html and html.count("<svg") == 1
    assert "14.50" in html and "no signal section" in html


def test_the_map_is_drawn_from_dataframes(porto: pd.DataFrame) -> None:
    figure = plots.plot_trajectories(porto, porto.groupby("id").head(10), max_trajectories=5)
    left, right = figure.axes
    assert "5 of 200" in left.get_title()
    assert left.get_xlabel() == "longitude (°)" and left.get_ylabel() == "latitude (°)"
    assert len(left.lines) == 5 and len(right.lines) == 5


def test_verify_report_refuses_a_geolocation_report_and_says_why(
    content: ReportContent, tmp_path: Path
) -> None:
    original = tmp_path / "a.csv"
    original.write_text("id,t,lat,lon\n")
    with pytest.raises(ValueError, match=r"geolocation privacy report.*privacy_geolocation"):
        verify(content, original, original)
