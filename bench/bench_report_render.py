"""Report rendering benchmark: figure data from 100k and 1M rows, then the PDF and the HTML.

Usage: ``.venv/bin/python bench/bench_report_render.py [--sizes 100000,1000000]``

Each size runs in its own process (peak RSS per size). The table is the engine benchmark's (20
continuous + 6 categorical columns); the "avatars" are its rows shuffled and perturbed, and the
per-individual privacy quantities (local cloaking, DCR, NNDR) are drawn from plausible laws:
rendering cost depends on the size of the figure data, not on where the values came from. Phases:

- ``summaries``: bin every variable, associations on a 200k-row sample, privacy histograms and a
  2,000-row projection sample (what a report's content stores; ``avatars.plot_data``);
- ``figures``: every figure drawn and turned into SVG (both renderers start with this);
- ``render_pdf`` / ``render_html``: each renderer, figures included, from that content alone.

Prints the figures with the machine's load (``uptime``) and writes them to ``bench/results.json``
under ``"report_render"``. Target (issue 15 §7): PDF ≤ 5 MB at any size.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from bench_engine import PeakRss, make_table, phase  # noqa: E402

PDF_TARGET_MB = 5.0


def perturbed(table: pd.DataFrame, seed: int = 1) -> pd.DataFrame:
    """Shuffled rows, continuous columns shrunk towards their mean, 10 % categorical swaps."""
    rng = np.random.default_rng(seed)
    out = table.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    for name in out.columns:
        column = out[name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            swap = rng.random(len(out)) < 0.1
            codes = column.cat.codes.to_numpy().copy()
            codes[swap] = rng.integers(0, len(column.cat.categories), int(swap.sum()))
            out[name] = pd.Categorical.from_codes(codes, column.cat.categories)
        else:
            values = column.to_numpy()
            out[name] = np.round(values.mean() + 0.8 * (values - values.mean()), 2)
    return out


def build_content(original: pd.DataFrame, avatars: pd.DataFrame) -> Any:
    """A complete report content for these tables, figure data bounded as the server stores it."""
    from avatars import plot_data
    from avatars_server.reports import content as c

    rng = np.random.default_rng(2)
    n = len(original)
    base = c.example_content()
    distributions = [
        c.VariableDistribution(**dataclasses.asdict(d))
        for d in plot_data.variable_distributions(original, avatars)
    ]
    associations = plot_data.correlation_data(original, avatars)
    sample = plot_data.sample_rows(n, 2_000, seed=0)
    numbers = original.select_dtypes("number").to_numpy()
    mean, sd = numbers.mean(axis=0), numbers.std(axis=0)
    _, _, vt = np.linalg.svd((numbers[sample] - mean) / sd, full_matrices=False)
    axes = vt[:3].T

    def coordinates(frame: pd.DataFrame) -> list[list[float]]:
        values = (frame.select_dtypes("number").to_numpy()[sample] - mean) / sd
        return (values @ axes).tolist()  # type: ignore[no-any-return]

    privacy = {
        "local_cloaking": plot_data.distribution_data("local_cloaking", rng.poisson(11, n), 5.0),
        "distance_to_closest": plot_data.distribution_data(
            "distance_to_closest", rng.gamma(4, 0.1, n), 0.2
        ),
        "closest_distances_ratio": plot_data.distribution_data(
            "closest_distances_ratio", rng.beta(6, 2, n), 0.3
        ),
    }
    figures = c.Figures(
        projection=c.ProjectionSample(
            ["Dim. 1", "Dim. 2", "Dim. 3"],
            coordinates(original),
            coordinates(avatars),
            n,
            len(sample),
            0,
        ),
        explained_variance=c.ExplainedVarianceData(
            [f"Dim. {i}" for i in range(1, 21)],
            list(np.linspace(3, 0.5, 20)),
            list(np.linspace(3, 0.5, 20) / np.linspace(3, 0.5, 20).sum() * 0.9),
        ),
        contributions=c.ContributionsData(
            "original",
            ["Dim. 1", "Dim. 2"],
            list(map(str, original.columns)),
            (rng.dirichlet(np.ones(original.shape[1]), 2).T * 100).tolist(),
        ),
        distributions=distributions,
        correlations=c.CorrelationData(**dataclasses.asdict(associations)),
        **{name: c.DistributionData(**dataclasses.asdict(d)) for name, d in privacy.items()},
    )
    columns = [c.ColumnInfo(str(name), str(original[name].dtype)) for name in original.columns]
    datasets = [
        dataclasses.replace(
            d, name="bench", rows=n, columns=original.shape[1], column_types=columns
        )
        for d in base.datasets
    ]
    hellinger = [c.VariableHellinger(str(name), 0.03) for name in original.columns]
    return dataclasses.replace(
        base,
        title=f"Avatarization report: bench ({n:,} rows)",
        datasets=datasets,
        signal=dataclasses.replace(base.signal, hellinger_per_variable=hellinger),
        figures=figures,
    )


def uptime() -> str:
    done = subprocess.run(["uptime"], capture_output=True, text=True, check=False)
    return done.stdout.strip()


def run(n: int) -> dict[str, Any]:
    """Figure data, PDF and HTML of one report of n rows, timed (runs in its own process)."""
    from avatars_server.reports.figures import render_figures
    from avatars_server.reports.render_html import render_html
    from avatars_server.reports.render_pdf import render_pdf

    original = make_table(n)
    avatars = perturbed(original)
    rss = PeakRss()
    record: dict[str, Any] = {"rows": n, "uptime_before": uptime()}
    render_pdf(build_content(original.head(500), avatars.head(500)))  # warm imports and fonts
    base = rss.peak_mb()
    with phase(record, "summaries", rss):
        content = build_content(original, avatars)
    with phase(record, "figures", rss):
        render_figures(content)
    with phase(record, "render_pdf", rss):
        pdf = render_pdf(content)
    with phase(record, "render_html", rss):
        html = render_html(content)
    rss.close()
    record["baseline_rss_mb"] = round(base, 1)
    record["pdf_mb"] = round(len(pdf) / 2**20, 3)
    record["html_mb"] = round(len(html.encode()) / 2**20, 3)
    record["json_kb"] = round(len(content.to_json().encode()) / 2**10, 1)
    record["uptime_after"] = uptime()
    return record


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.worker:
        print(json.dumps(run(sizes[0])))
        return 0
    figures: dict[str, Any] = {"cpus": os.cpu_count(), "pdf_target_mb": PDF_TARGET_MB, "sizes": {}}
    failed = False
    for n in sizes:
        done = subprocess.run(
            [sys.executable, __file__, "--worker", "--sizes", str(n)],
            capture_output=True,
            text=True,
            check=True,
        )
        record = json.loads(done.stdout.strip().splitlines()[-1])
        figures["sizes"][str(n)] = record
        print(f"\n{n:,} rows   ({record['uptime_before']})")
        for name in ("summaries", "figures", "render_pdf", "render_html"):
            part = record[name]
            growth = part["peak_rss_mb"] - record["baseline_rss_mb"]
            print(
                f"  {name:12} {part['seconds']:7.2f} s   cpu {part['cpu_seconds']:7.2f} s   "
                f"peak RSS {part['peak_rss_mb']:7.1f} MB (+{growth:.0f} over the warm process)"
            )
        ok = record["pdf_mb"] <= PDF_TARGET_MB
        failed |= not ok
        print(
            f"  PDF {record['pdf_mb']:.2f} MB (≤ {PDF_TARGET_MB} MB: {'met' if ok else 'MISSED'})"
            f"   HTML {record['html_mb']:.2f} MB   content JSON {record['json_kb']:.0f} kB"
        )
        print(f"  after: {record['uptime_after']}")
    path = HERE / "results.json"
    try:
        results = json.loads(path.read_text()) if path.exists() else {}
    except json.JSONDecodeError:
        results = {}
    results["report_render"] = figures
    path.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
