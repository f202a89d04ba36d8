"""A report as one self-contained HTML file: inline CSS, inline SVG figures, no external URL.

It opens offline in any browser and can be mailed or archived as a single file. Every user
string is HTML-escaped; each figure's SVG ids are prefixed so that figures sharing one page never
resolve each other's clip paths or glyphs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from html import escape

from avatars_server.reports import wording
from avatars_server.reports.content import MetricResult, ReportContent
from avatars_server.reports.figures import RenderedFigure, render_figures

_CSS = """
:root { --ink: #1d1d1f; --muted: #5f6368; --line: #d9d9de; --pass: #00734f; --fail: #b5400f; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 15px/1.5 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 60rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
h1 { font-size: 1.9rem; margin: 0 0 .25rem; }
h2 { font-size: 1.35rem; margin: 2.2rem 0 .6rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.6rem 0 .4rem; }
.subtitle { color: var(--muted); margin: 0 0 1rem; }
.summary { background: #f3f3f5; border-radius: 6px; padding: .8rem 1rem; }
nav ol { columns: 2; padding-left: 1.2rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .9rem; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line);
  vertical-align: top; }
th { border-bottom: 1.5px solid var(--ink); }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .85em;
  overflow-wrap: anywhere; }
.meaning { display: block; color: var(--muted); font-size: .85em; }
.passed { color: var(--pass); font-weight: 600; }
.failed { color: var(--fail); font-weight: 600; }
.neutral { color: var(--muted); }
figure { margin: 1rem 0 2rem; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { color: var(--muted); font-size: .88rem; margin-top: .3rem; }
@media print { main { max-width: none; } figure { break-inside: avoid; } }
"""

_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r'(href="#|url\(#)([^")]+)')
_NAMESPACES = re.compile(r'\s+xmlns(:\w+)?="[^"]*"')


def inline_svg(svg: str, prefix: str, label: str = "") -> str:
    """An SVG ready to inline: ids prefixed with ``prefix``, namespace declarations dropped
    (HTML needs none, and they are the only URLs matplotlib writes), and ``label`` given to
    screen readers."""
    svg = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = _REF.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", svg)
    svg = _NAMESPACES.sub("", svg, count=2)
    return svg.replace("<svg", f'<svg role="img" aria-label="{_e(label)}"', 1)


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _table(header: Sequence[str], rows: Iterable[Sequence[str]], numeric: set[int]) -> str:
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{cell}</td>' if i in numeric else f"<td>{cell}</td>"
            for i, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _verdict(metric: MetricResult) -> str:
    word = wording.verdict(metric)
    css = {"passed": "passed", "not passed": "failed"}.get(word, "neutral")
    return f'<span class="{css}">{_e(word)}</span>'


def _glance(content: ReportContent) -> str:
    """Every metric in one compact table, privacy then signal (the PDF's page 1)."""
    rows = []
    for group, metrics in wording.glance_groups(content):
        rows.append((f"<em>{_e(group)}</em>", "", "", ""))
        rows += [
            (
                f"{_e(wording.metric_title(m.name))} <code>{_e(m.name)}</code>",
                _e(wording.format_value(m.value)),
                _e(m.target or "—"),
                _verdict(m),
            )
            for m in metrics
        ]
    return "<h2>At a glance</h2>" + _table(["Metric", "Value", "Target", "Result"], rows, {1})


def _metrics_table(metrics: Sequence[MetricResult]) -> str:
    rows = []
    for m in metrics:
        note = wording.why_missing(m)
        sentence = m.meaning + (f" {note}." if note else "")
        rows.append(
            (
                f"<strong>{_e(wording.metric_title(m.name))}</strong> <code>{_e(m.name)}</code>"
                f'<span class="meaning">{_e(sentence)}</span>',
                _e(wording.format_value(m.value)),
                _e(m.target or "—"),
                _verdict(m),
            )
        )
    return _table(["Metric", "Value", "Target", "Result"], rows, {1})


def _anonymised(content: ReportContent) -> list[str]:
    out = ['<h2 id="anonymised">1. What was anonymised</h2>']
    rows = [
        (
            _e(wording.ROLE_TITLES.get(d.role, d.role)),
            _e(d.name or "(unnamed)"),
            _e(wording.dimensions(d.rows, d.columns)),
            _e(wording.when(d.created_at)),
            f"<code>{_e(d.sha256)}</code>",
        )
        for d in content.datasets
    ]
    out.append(_table(["Dataset", "Name", "Size", "Uploaded", "SHA-256"], rows, set()))
    original = content.dataset("original") or (content.datasets[0] if content.datasets else None)
    if original is not None and original.column_types:
        columns = [
            (
                _e(c.label),
                _e(c.type),
                "identifier (replaced by surrogate keys)" if c.is_identifier else "",
            )
            for c in original.column_types
        ]
        out.append("<h3>Columns of the original dataset</h3>")
        out.append(_table(["Column", "Type", "Role"], columns, set()))
    p = content.provenance
    out.append(
        f"<p>Report <code>{_e(p.report_id)}</code> made on {_e(wording.when(p.created_at))} "
        f"by server {_e(p.server_version)}, engine {_e(p.engine_version)}. Avatarization job "
        f"<code>{_e(p.avatarization_job_id or '—')}</code>, privacy job "
        f"<code>{_e(p.privacy_job_id)}</code>, signal job "
        f"<code>{_e(p.signal_job_id or '—')}</code>.</p>"
    )
    return out


def _parameters(content: ReportContent) -> list[str]:
    out = ['<h2 id="parameters">2. Parameters</h2>']
    a = content.parameters.avatarization
    if a is not None:
        rows = wording.avatarization_rows(a)
        out.append("<h3>Avatarization</h3>")
        out.append(_table(["Parameter", "Value"], [(_e(k), _e(v)) for k, v in rows], set()))
    rows = wording.metric_rows(content.parameters.metrics)
    out.append("<h3>Metrics</h3>")
    out.append(_table(["Parameter", "Value"], [(_e(k), _e(v)) for k, v in rows], set()))
    return out


def _privacy_and_signal(content: ReportContent) -> list[str]:
    lc = " ".join(_e(s) for s in wording.lc_sentences(content))
    out = [
        '<h2 id="privacy">3. Privacy</h2>',
        "<p>Each of the eleven privacy metrics against its target; a metric passes when it is "
        f"strictly beyond its target ({_e(wording.score(content.privacy.metrics))}).</p>",
        _metrics_table(content.privacy.metrics),
        f"<p>{lc}</p>" if lc else "",
        '<h2 id="signal">4. Signal</h2>',
        "<p>How well the avatars keep the statistics of the originals "
        f"({_e(wording.score(content.signal.metrics))}).</p>",
        _metrics_table(content.signal.metrics),
    ]
    per_variable = sorted(content.signal.hellinger_per_variable, key=lambda h: -h.value)
    if per_variable:
        out.append("<h3>Hellinger distance of each variable, largest first</h3>")
        rows = [(_e(h.name), f"{h.value:.3f}") for h in per_variable]
        out.append(_table(["Variable", "Hellinger distance"], rows, {1}))
    out += _batches(content)
    return out


def _batches(content: ReportContent) -> list[str]:
    """A batch report's table: one row per batch with its own key metrics, and its notes."""
    out = [f"<p>{_e(note)}</p>" for note in content.notes]
    if not content.batches:
        return out
    header, rows = wording.batch_table(content)
    out.insert(0, '<h3 id="batches">Every batch</h3>')
    out.insert(
        1,
        _table(
            [_e(h) for h in header],
            [[_e(cell) for cell in row] for row in rows],
            set(range(2, len(header))),
        ),
    )
    return out


def _geolocation(content: ReportContent) -> list[str]:
    """A geolocation privacy report: each scenario's parameters and metrics, then the notes."""
    section = content.geolocation
    assert section is not None
    out = [
        '<h2 id="scenarios">2. Scenarios</h2>',
        "<p>Each scenario of the geolocation privacy job: what the attacker holds, and every "
        "metric against its target; a metric passes when it is strictly beyond its target.</p>",
    ]
    for scenario in section.scenarios:
        out.append(f"<h3>Scenario {scenario.index + 1}</h3><p>{_e(scenario.summary)}.</p>")
        out.append(_metrics_table(scenario.metrics))
        if scenario.inference_distance_median is not None:
            out.append(
                "<p>Median distance between the inferred and the true point: "
                f"{scenario.inference_distance_median:,.0f} m over "
                f"{scenario.inference_distance_count} trajectories.</p>"
            )
    out += [f"<p>{_e(note)}</p>" for note in content.notes]
    return out


def _figures(figures: Sequence[RenderedFigure], section: int = 5) -> list[str]:
    if not figures:
        return []
    out = [f'<h2 id="figures">{section}. Figures</h2>']
    for number, figure in enumerate(figures, start=1):
        out.append(
            f'<h3 id="figure-{_e(figure.key)}">{_e(figure.title)}</h3>'
            f'<figure class="report-figure">{inline_svg(figure.svg, f"f{number}", figure.title)}'
            f"<figcaption>Figure {number}: {_e(figure.caption)}</figcaption></figure>"
        )
    return out


def _conclusion(content: ReportContent, section: int = 6) -> list[str]:
    conclusion = content.conclusion
    items = "".join(
        f"<li><strong>{_e(wording.metric_title(f.name))}</strong> is "
        f"{_e(wording.format_value(f.value))} (target {_e(f.target)}): {_e(f.fix)}.</li>"
        for f in conclusion.failed
    )
    return [
        f'<h2 id="conclusion">{section}. Conclusion</h2>',
        f"<p>{_e(conclusion.summary)}</p>",
        f"<ul>{items}</ul>" if items else "",
    ]


def render_html(content: ReportContent, *, figures: Sequence[RenderedFigure] | None = None) -> str:
    """The report as one self-contained HTML document (UTF-8 text).

    Args:
        content: the report.
        figures: its figures when already drawn (``render_figures``), to share them with the
            PDF; drawn here when None.

    Raises:
        ImportError: matplotlib is not installed (it comes with the server extra).
    """
    if figures is None:
        figures = render_figures(content)
    original = content.dataset("original")
    subtitle = f"Report of {wording.when(content.provenance.created_at)}"
    if original is not None:
        subtitle = (
            f"{original.name or 'unnamed dataset'}, "
            f"{wording.dimensions(original.rows, original.columns)}. {subtitle}"
        )
    summary = wording.summary_line(content)
    geolocation = content.geolocation is not None
    toc = [
        ("anonymised", "What was anonymised"),
        *(
            [("scenarios", "Scenarios")]
            if geolocation
            else [("parameters", "Parameters"), ("privacy", "Privacy"), ("signal", "Signal")]
        ),
        ("figures", "Figures"),
        ("conclusion", "Conclusion"),
    ]
    nav = "".join(
        f'<li><a href="#{anchor}">{title}</a></li>'
        for anchor, title in toc
        if anchor != "figures" or figures
    )
    body = [
        f"<h1>{_e(content.title)}</h1>",
        f'<p class="subtitle">{_e(subtitle)}</p>',
        f'<p class="summary">{_e(summary)}</p>',
        _glance(content),
        f"<nav><h2>Contents</h2><ol>{nav}</ol></nav>",
        *_anonymised(content),
        *(
            _geolocation(content)
            if geolocation
            else [*_parameters(content), *_privacy_and_signal(content)]
        ),
        *_figures(figures, 3 if geolocation else 5),
        *_conclusion(content, 3 + bool(figures) if geolocation else 6),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="avatars {_e(content.provenance.server_version)}">\n'
        f"<title>{_e(content.title)}</title>\n<style>{_CSS}</style>\n</head>\n"
        "<body>\n<main>\n"
        + "\n".join(part for part in body if part)
        + "\n</main>\n</body>\n</html>\n"
    )
