"""avatars.plots and avatars.plot_data: bounded summaries, figures, and the missing-extra error."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from avatars import plot_data, plots, series_plot_data


@pytest.fixture
def tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(0)
    n = 300
    original = pd.DataFrame(
        {
            "age": rng.normal(50, 10, n).round(),
            "weight": np.where(rng.random(n) < 0.1, np.nan, rng.normal(70, 8, n)),
            "sex": rng.choice(["F", "M"], n),
            "city": rng.choice([f"c{i}" for i in range(30)], n),
            "seen": pd.to_datetime("2020-01-01") + pd.to_timedelta(rng.integers(0, 900, n), "D"),
        }
    )
    avatars = original.sample(frac=1, random_state=1).reset_index(drop=True)
    avatars["age"] = avatars["age"] + rng.normal(0, 2, n).round()
    return original, avatars


def test_continuous_distribution_uses_the_hellinger_bins_and_counts_missing_apart(
    tables: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    original, avatars = tables
    summary = plot_data.variable_distribution("weight", original["weight"], avatars["weight"])
    observed = int(original["weight"].notna().sum())
    assert summary.bin_edges is not None
    assert len(summary.bin_edges) == min(int(np.ceil(np.log2(observed))) + 1, observed) + 1
    assert summary.original_missing == pytest.approx(original["weight"].isna().mean())
    assert sum(summary.original) + summary.original_missing == pytest.approx(1.0)


def test_wide_categorical_is_grouped_into_other(tables: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    original, avatars = tables
    summary = plot_data.variable_distribution("city", original["city"], avatars["city"])
    assert len(summary.labels) == plot_data.MAX_MODALITIES + 1
    assert summary.labels[-1] == "other (15)"
    assert sum(summary.original) == pytest.approx(1.0)


def test_local_cloaking_histogram_keeps_every_individual() -> None:
    values = np.array([0, 0, 1, 3, 7, 12, 250])
    data = plot_data.distribution_data("local_cloaking", values, 5.0)
    assert sum(data.counts) == len(values) == data.n
    assert data.counts[0] == 2  # LC = 0 has its own bin
    assert data.median == 3.0
    assert data.bin_edges[-1] >= 15  # at least 3 × the target is shown
    wide = plot_data.distribution_data("local_cloaking", np.arange(5000), 5.0)
    assert len(wide.counts) <= 62 and wide.bin_edges[:2] == [0.0, 1.0]
    assert sum(wide.counts) == 5000 and wide.counts[0] == 1


def test_association_matrix_uses_r_eta_and_cramers_v() -> None:
    x = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [2.0, 4, 6, 8], "g": ["u", "u", "v", "v"]})
    data = plot_data.correlation_data(x, x)
    matrix = np.array(data.original, dtype=float)
    assert matrix[0, 1] == pytest.approx(1.0)  # r of a linear pair
    assert 0 < matrix[0, 2] < 1  # η of a against g
    assert data.difference[0][1] == pytest.approx(0.0)


def test_every_variable_gets_a_panel_over_pages(tables: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    original, avatars = tables
    wide = pd.concat([original.add_suffix(f"_{i}") for i in range(6)], axis=1)
    wide_avatars = pd.concat([avatars.add_suffix(f"_{i}") for i in range(6)], axis=1)
    pages = plots.plot_distributions(wide, wide_avatars)
    assert len(pages) == 3  # 30 variables, 12 per page
    drawn = [ax for page in pages for ax in page.axes if ax.axison]
    assert len(drawn) == 30


def test_figures_from_dataframes_become_standalone_svg(
    tables: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    original, avatars = tables
    rng = np.random.default_rng(0)
    figures = [
        plots.plot_correlations(original, avatars),
        plots.plot_projections(rng.normal(size=(5000, 3)), rng.normal(size=(5000, 3))),
        plots.plot_explained_variance([0.5, 0.3, 0.2], ncp=2),
        plots.plot_contributions({"Dim. 1": {"age": 70.0, "sex": 30.0}}),
        plots.plot_privacy_distributions(
            [plot_data.distribution_data("distance_to_closest", rng.random(100), 0.2)]
        ),
    ]
    for figure in figures:
        svg = plots.figure_svg(figure)
        assert svg.lstrip().startswith("<?xml") and svg.rstrip().endswith("</svg>")
    # A projection of 5,000 rows draws a bounded sample of each table.
    scatter = figures[1].axes[0].collections
    assert [len(c.get_offsets()) for c in scatter] == [2000, 2000]


def test_plots_without_matplotlib_say_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # makes `import matplotlib` fail
    monkeypatch.delitem(sys.modules, "avatars.plots")
    monkeypatch.delitem(sys.modules, "avatars._plot_style")
    fresh = importlib.import_module("avatars.plots")  # importing the module needs no matplotlib
    with pytest.raises(ImportError, match=r'pip install "avatars\[plots\]"'):
        fresh.plot_explained_variance([0.6, 0.4])
    with pytest.raises(ImportError, match=r'pip install "avatars\[plots\]"'):
        fresh.plot_correlations(pd.DataFrame({"a": [1.0, 2.0]}), pd.DataFrame({"a": [2.0, 1.0]}))


def test_the_server_app_does_not_import_matplotlib() -> None:
    code = (
        "import sys, avatars_server.app, avatars_server.reports.render_pdf, "
        "avatars_server.reports.render_html; print('matplotlib' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_wide_association_matrices_show_the_variables_that_changed_most() -> None:
    rng = np.random.default_rng(0)
    original = pd.DataFrame(rng.normal(size=(200, 40)), columns=[f"v{i}" for i in range(40)])
    avatars = original.copy()
    avatars["v7"] = rng.normal(size=200) + 3 * avatars["v3"]  # v7's associations change
    figure = plots.plot_correlations(original, avatars, max_variables=10)
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert len(labels) == 10 and "v7" in labels and "v3" in labels
    assert "10 of 40 variables" in figure.get_suptitle()
    assert figure.axes[0].title.get_fontsize() == 8.5  # drawn in the report style


def test_pearson_block_matches_pandas_pairwise_complete_correlations() -> None:
    rng = np.random.default_rng(1)
    values = rng.normal(size=(400, 5))
    values[:, 1] += values[:, 0]
    values[rng.random((400, 5)) < 0.2] = np.nan
    values[:, 4] = 2.0  # constant: undefined
    frame = pd.DataFrame(values, columns=list("abcde"))
    matrix = np.array(
        plot_data.association_matrix(frame, dict.fromkeys("abcde", "continuous")), dtype=float
    )
    expected = frame.corr().to_numpy().copy()
    np.fill_diagonal(expected, 1.0)
    np.testing.assert_allclose(matrix, expected, atol=1e-12)


def test_labels_that_look_like_tex_are_drawn_as_text() -> None:
    original = pd.DataFrame({"$x^$ (USD)": [1.0, 2.0, 3.0, 4.0], "a_{b}": ["u", "v", "u", "v"]})
    figure = plots.plot_correlations(original, original)
    plots.figure_svg(figure)  # mathtext would fail to parse "$x^$"
    for page in plots.plot_distributions(original, original):
        plots.figure_svg(page)
    assert figure.axes[0].get_yticklabels()[0].get_text() == "$x^$ (USD)"


SENSORS = Path(__file__).parents[2] / "data" / "extended"


def _hand_series() -> tuple[pd.DataFrame, pd.DataFrame]:
    original = pd.DataFrame(
        {
            "id": [1, 1, 1, 2, 2, 2, 3, 3, 3],
            "t": [0, 1, 2, 0, 1, 2, 0, 1, 2],
            "a": [1.0, 2.0, 3.0, 3.0, 2.0, 7.0, 5.0, np.nan, 2.0],
            "b": [0.0, 0.5, 1.0, 2.0, 2.5, 3.0, 4.0, 4.5, 5.0],
        }
    )
    avatars = original.assign(a=original["a"] * 2, b=original["b"] - 1, id=original["id"] + 10)
    return original, avatars


def test_series_bands_are_pandas_pointwise_mean_and_sd_on_a_common_grid() -> None:
    original, avatars = _hand_series()
    bands = series_plot_data.series_bands(original, avatars)
    assert [band.name for band in bands] == ["a", "b"]
    for band in bands:
        expected_x = original.groupby("t")[band.name].agg(["mean", "std", "count"])
        expected_a = avatars.groupby("t")[band.name].agg(["mean", "std", "count"])
        assert band.time == [0.0, 1.0, 2.0] and band.bin_edges is None
        np.testing.assert_allclose(band.original_mean, expected_x["mean"])
        np.testing.assert_allclose(band.original_sd, expected_x["std"])
        np.testing.assert_allclose(band.avatars_mean, expected_a["mean"])
        np.testing.assert_allclose(band.avatars_sd, expected_a["std"])
        assert band.original_n == expected_x["count"].tolist()
    assert bands[0].original_n == [3, 2, 3]  # the missing value is not counted


def test_avatar_points_off_the_grid_count_at_the_nearest_original_stamp() -> None:
    original, avatars = _hand_series()
    jittered = avatars.assign(t=avatars["t"] + np.tile([0.2, -0.3, 0.4], 3))
    (band, _) = series_plot_data.series_bands(original, jittered)
    assert band.time == [0.0, 1.0, 2.0] and band.bin_edges == [0.0, 0.5, 1.5, 2.4]
    np.testing.assert_allclose(band.avatars_mean, avatars.groupby("t")["a"].mean())
    # An individual with two points in one slot counts once there (its mean).
    doubled = pd.concat([avatars, avatars[avatars["id"] == 11].assign(a=100.0)])
    (band, _) = series_plot_data.series_bands(original, doubled)
    assert band.avatars_n == [3, 2, 3]
    assert band.avatars_mean[0] == pytest.approx((51 + 6 + 10) / 3)  # id 11: (2 + 100) / 2


def test_many_irregular_stamps_are_binned_into_max_points() -> None:
    rng = np.random.default_rng(0)
    rows = 2_000
    original = pd.DataFrame(
        {
            "id": rng.integers(0, 100, rows),
            "t": rng.uniform(0, 10, rows),
            "v": rng.normal(size=rows),
        }
    )
    (band,) = series_plot_data.series_bands(original, original, max_points=20)
    assert len(band.time) == 20 and band.bin_edges is not None and len(band.bin_edges) == 21
    assert band.original_mean == band.avatars_mean


def test_series_columns_resolve_like_the_server_or_are_passed() -> None:
    frame = pd.DataFrame(
        {"who": [1], "when": pd.to_datetime(["2024-01-01"]), "x": [1.0], "flag": [True]}
    )
    with pytest.raises(ValueError, match="id_column"):
        series_plot_data.series_columns(frame)
    columns = series_plot_data.series_columns(frame, id_column="who")
    assert (columns.time, columns.values) == (
        "when",
        ["x"],
    )  # the only datetime; bools are not values
    with pytest.raises(ValueError, match="time_column"):
        series_plot_data.series_columns(frame.drop(columns="when"), id_column="who")


def test_time_series_figure_has_samples_and_bands_per_variable() -> None:
    original, avatars = _hand_series()
    figure = plots.plot_time_series(original, avatars, samples=2, seed=3)
    assert len(figure.axes) == 6  # 2 variables × (originals, avatars, band)
    samples_x, samples_a, band = figure.axes[:3]
    assert len(samples_x.lines) == 2 and len(samples_a.lines) == 2
    assert samples_x.get_title() == "2 of 3 originals"
    assert len(band.collections) == 1  # the originals' filled band
    assert len(band.lines) == 4  # two means, the avatars' ± sd
    expected = original.groupby("t")["a"].agg(["mean", "std"])
    np.testing.assert_allclose(band.lines[0].get_ydata(), expected["mean"])
    np.testing.assert_allclose(band.lines[2].get_ydata(), 2 * (expected["mean"] - expected["std"]))
    assert figure.axes[0].get_ylabel() == "a" and figure.axes[3].get_ylabel() == "b"
    plots.figure_svg(figure)


def test_time_series_figure_on_the_sensors_sample_data() -> None:
    original = pd.read_csv(SENSORS / "sensors_timeseries1.csv")
    rng = np.random.default_rng(0)
    avatars = original.assign(t=original["t"] + rng.uniform(-0.3, 0.3, len(original)))
    figure = plots.plot_time_series(original, avatars, samples=4)
    assert [ax.get_ylabel() for ax in figure.axes[::3]] == ["sensor1", "sensor2"]
    assert all(len(ax.lines) == 4 for ax in figure.axes[::3])
    band = figure.axes[2]
    assert len(band.lines[0].get_xdata()) == 30  # the originals' 30 stamps
    np.testing.assert_allclose(
        band.lines[0].get_ydata(), original.groupby("t")["sensor1"].mean(), rtol=1e-12
    )


def test_time_series_figure_without_matplotlib_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.delitem(sys.modules, "avatars.plots")
    monkeypatch.delitem(sys.modules, "avatars._plot_style")
    fresh = importlib.import_module("avatars.plots")
    original, avatars = _hand_series()
    with pytest.raises(ImportError, match=r'pip install "avatars\[plots\]"'):
        fresh.plot_time_series(original, avatars)


def test_series_bands_hashed_and_dense_counting_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    original, avatars = _hand_series()
    jittered = avatars.assign(t=avatars["t"] + np.tile([0.2, -0.3, 0.4], 3))
    dense = series_plot_data.series_bands(original, jittered)
    monkeypatch.setattr(series_plot_data, "_DENSE_CELLS", 0)
    assert series_plot_data.series_bands(original, jittered) == dense


def test_datetime_time_axis_gives_short_date_ticks() -> None:
    original, avatars = _hand_series()
    stamps = pd.Timestamp("2024-01-01") + pd.to_timedelta(original["t"], unit="D")
    figure = plots.plot_time_series(original.assign(t=stamps), avatars.assign(t=stamps))
    (band, _) = series_plot_data.series_bands(original.assign(t=stamps), avatars.assign(t=stamps))
    assert band.datetime and band.time[1] - band.time[0] == 86_400
    formatter = figure.axes[2].xaxis.get_major_formatter()
    assert type(formatter).__name__ == "ConciseDateFormatter"
