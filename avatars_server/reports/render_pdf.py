"""A report as a printable PDF: Typst markup from the content, matplotlib figures as SVG.

Typst (the ``typst`` package: a self-contained compiler, no system package) lays out an A4
document with page numbers and a table of contents. Every user string (dataset names, column
labels...) enters the markup as an escaped Typst string literal, never as markup, so a name such
as ``#import "x"`` or ``*bold*`` is printed as it is. Figures are passed to the compiler as
inputs, not files. Text is set in the fonts bundled with Typst; the machine's fonts only supply
glyphs those lack (names in Chinese, say), so with Latin text the PDF is the same on any machine.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from avatars_server.reports import wording
from avatars_server.reports.content import MetricResult, ReportContent
from avatars_server.reports.figures import RenderedFigure, render_figures

_PRELUDE = """
#set document(title: {title}, author: "avatars")
#set page(
  paper: "a4",
  margin: (x: 2cm, top: 2.3cm, bottom: 2.2cm),
  header: context {{
    if counter(page).get().first() > 1 {{
      set text(size: 8pt, fill: luma(35%))
      {title}
      h(1fr)
      {subtitle}
      line(length: 100%, stroke: 0.4pt + luma(70%))
    }}
  }},
  footer: context {{
    set text(size: 8pt, fill: luma(35%))
    h(1fr)
    counter(page).display("1 / 1", both: true)
    h(1fr)
  }},
)
#set text(font: "Libertinus Serif", size: 10pt, lang: "en")
#set par(justify: true)
#set heading(numbering: "1.1")
#show heading.where(level: 1): it => block(above: 1.4em, below: 0.8em, it)
#show raw: set text(font: "DejaVu Sans Mono", size: 7.5pt)
#set table(stroke: (x, y) => if y == 0 {{ (bottom: 0.6pt) }} else {{ (bottom: 0.3pt + luma(80%)) }},
  inset: (x: 4pt, y: 3.5pt))
#show table.cell.where(y: 0): set text(weight: "bold")
#show figure.caption: set text(size: 8.5pt)
#let passed = text(fill: rgb("#00734f"), weight: "bold")[passed]
#let failed = text(fill: rgb("#b5400f"), weight: "bold")[not passed]
#let neutral(body) = text(fill: luma(40%), body)
#let meaning(body) = text(size: 8pt, fill: luma(30%), body)
"""


def typst_string(text: str) -> str:
    """``text`` as a Typst string literal: the only way user strings enter the markup."""
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{escaped}"'


def _text(text: str) -> str:
    """Literal text inside markup (the ``;`` ends the embedded expression)."""
    return f"#{typst_string(text)};"


def _table(columns: str, header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A table whose cells are markup (already escaped) wrapped in content blocks."""
    cells = [f"[{cell}]" for cell in header]
    for row in rows:
        cells.extend(f"[{cell}]" for cell in row)
    return f"#table(columns: {columns}, table.header({', '.join(cells[: len(header)])}), " + (
        ", ".join(cells[len(header) :]) + ")\n"
    )


def _verdict(metric: MetricResult) -> str:
    word = wording.verdict(metric)
    return {"passed": "#passed", "not passed": "#failed"}.get(word, f"#neutral[{_text(word)}]")


def _glance(content: ReportContent) -> str:
    """Page 1: every metric in one compact table, privacy then signal."""
    rows: list[tuple[str, ...]] = []
    for group, metrics in wording.glance_groups(content):
        rows.append((f"table.cell(colspan: 4)[_{_text(group)}_]",))
        rows += [
            (
                f"[{_text(wording.metric_title(m.name))} #raw({typst_string(m.name)})]",
                f"[{_text(wording.format_value(m.value))}]",
                f"[{_text(m.target or '—')}]",
                f"[{_verdict(m)}]",
            )
            for m in metrics
        ]
    cells = ", ".join(cell for row in rows for cell in row)
    return (
        "#text(size: 9pt)[#table(columns: (1fr, auto, auto, auto), "
        "align: (left, right, center, left), "
        "table.header([Metric], [Value], [Target], [Result]), "
        f"{cells})]\n"
    )


def _metrics_table(metrics: Sequence[MetricResult]) -> str:
    rows = []
    for m in metrics:
        note = wording.why_missing(m)
        sentence = m.meaning + (f" {note}." if note else "")
        rows.append(
            (
                f"*{_text(wording.metric_title(m.name))}* #raw({typst_string(m.name)}) \\ "
                f"#meaning[{_text(sentence)}]",
                _text(wording.format_value(m.value)),
                _text(m.target or "—"),
                _verdict(m),
            )
        )
    return _table("(1fr, auto, auto, auto)", ["Metric", "Value", "Target", "Result"], rows).replace(
        "#table(", "#table(align: (left, right, center, left), ", 1
    )


def _anonymised(content: ReportContent) -> list[str]:
    out = ["= What was anonymised\n"]
    rows = [
        (
            _text(wording.ROLE_TITLES.get(d.role, d.role)),
            _text(d.name or "(unnamed)"),
            _text(wording.dimensions(d.rows, d.columns)),
            _text(wording.when(d.created_at)),
        )
        for d in content.datasets
    ]
    out.append(_table("(auto, 1fr, auto, auto)", ["Dataset", "Name", "Size", "Uploaded"], rows))
    out.append("\n*SHA-256 of each dataset* (to check that the files you hold are these):\n\n")
    for d in content.datasets:
        out.append(f"- {_text(d.role)}: #raw({typst_string(d.sha256)})\n")
    original = content.dataset("original") or (content.datasets[0] if content.datasets else None)
    if original is not None and original.column_types:
        out.append("\n*Columns of the original dataset* and their types:\n\n")
        per_row = 3
        cols = original.column_types
        rows_c = []
        for start in range(0, len(cols), per_row):
            row: list[str] = []
            for c in cols[start : start + per_row]:
                kind = c.type + (
                    ", identifier (replaced by surrogate keys)" if c.is_identifier else ""
                )
                row += [_text(c.label), f"#neutral[{_text(kind)}]"]
            row += [""] * (2 * per_row - len(row))
            rows_c.append(row)
        header = ["Column", "Type"] * per_row
        out.append(_table("(1fr, auto) * 3", header, rows_c))
    p = content.provenance
    out.append(
        f"\nReport {_text(p.report_id)} made on {_text(wording.when(p.created_at))} by server "
        f"{_text(p.server_version)}, engine {_text(p.engine_version)}. "
        f"Avatarization job {_text(p.avatarization_job_id or '—')}, privacy job "
        f"{_text(p.privacy_job_id)}, signal job {_text(p.signal_job_id or '—')}.\n"
    )
    return out


def _parameters(content: ReportContent) -> list[str]:
    out = ["= Parameters\n"]
    a = content.parameters.avatarization
    if a is not None:
        rows = wording.avatarization_rows(a)
        out.append("== Avatarization\n")
        out.append(
            _table("(auto, 1fr)", ["Parameter", "Value"], [(_text(k), _text(v)) for k, v in rows])
        )
    rows = wording.metric_rows(content.parameters.metrics)
    out.append("== Metrics\n")
    out.append(
        _table("(auto, 1fr)", ["Parameter", "Value"], [(_text(k), _text(v)) for k, v in rows])
    )
    return out


def _privacy_and_signal(content: ReportContent) -> list[str]:
    out = [
        "= Privacy\n",
        _text(
            "Each of the eleven privacy metrics against its target; a metric passes when it is "
            f"strictly beyond its target ({wording.score(content.privacy.metrics)})."
        ),
        "\n\n",
        _metrics_table(content.privacy.metrics),
        "\n",
    ]
    out += [_text(s) + " " for s in wording.lc_sentences(content)]
    out += [
        "\n= Signal\n",
        _text(
            "How well the avatars keep the statistics of the originals "
            f"({wording.score(content.signal.metrics)})."
        ),
        "\n\n",
        _metrics_table(content.signal.metrics),
    ]
    per_variable = sorted(content.signal.hellinger_per_variable, key=lambda h: -h.value)
    if per_variable:
        out.append("\n*Hellinger distance of each variable*, largest first:\n\n")
        rows = []
        for start in range(0, len(per_variable), 3):
            row: list[str] = []
            for h in per_variable[start : start + 3]:
                row += [_text(h.name), _text(f"{h.value:.3f}")]
            rows.append(row + [""] * (6 - len(row)))
        table = _table("(1fr, auto) * 3", ["Variable", "H"] * 3, rows)
        out.append(table.replace("#table(", "#table(align: (left, right) * 3, ", 1))
    out += _batches(content)
    return out


def _batches(content: ReportContent) -> list[str]:
    """A batch report's table: one row per batch with its own key metrics, and its notes."""
    out: list[str] = []
    if content.batches:
        header, rows = wording.batch_table(content)
        out.append("\n== Every batch\n")
        table = _table(
            f"(auto, auto{', auto' * (len(header) - 2)})",
            [f"*{_text(h)}*" for h in header],
            [
                [
                    _text(row[0]),
                    # The name unbroken, then the id: each can be found in the text.
                    f"#box[{_text(batch.name or 'unnamed')}] \\ "
                    f"#text(size: 6pt)[#raw({typst_string(batch.original_id)})]",
                    *(_text(cell) for cell in row[2:]),
                ]
                for batch, row in zip(content.batches, rows, strict=True)
            ],
        )
        out.append("#text(size: 8pt, hyphenate: false)[" + table.rstrip("\n") + "]\n")
    out += ["\n" + _text(note) + "\n" for note in content.notes]
    return out


def _geolocation(content: ReportContent) -> list[str]:
    """A geolocation privacy report: each scenario's parameters and metrics, then the notes."""
    section = content.geolocation
    assert section is not None
    out = [
        "= Scenarios\n",
        _text(
            "Each scenario of the geolocation privacy job: what the attacker holds, and every "
            "metric against its target; a metric passes when it is strictly beyond its target."
        ),
        "\n",
    ]
    for scenario in section.scenarios:
        out.append(f"== {_text(f'Scenario {scenario.index + 1}')}\n")
        out.append(_text(scenario.summary + ".") + "\n\n")
        out.append(_metrics_table(scenario.metrics))
        if scenario.inference_distance_median is not None:
            out.append(
                "\n"
                + _text(
                    f"Median distance between the inferred and the true point: "
                    f"{scenario.inference_distance_median:,.0f} m over "
                    f"{scenario.inference_distance_count} trajectories."
                )
                + "\n"
            )
    out += ["\n" + _text(note) + "\n" for note in content.notes]
    return out


def _figures(figures: Sequence[RenderedFigure]) -> list[str]:
    if not figures:
        return []
    out = ["= Figures\n"]
    for figure in figures:
        out.append(f"== {_text(figure.title)}\n")
        out.append(
            f'#figure(image(bytes(sys.inputs.at("{figure.key}")), format: "svg", width: 100%), '
            f"caption: [{_text(figure.caption)}])\n"
        )
    return out


def _conclusion(content: ReportContent) -> list[str]:
    conclusion = content.conclusion
    out = ["= Conclusion\n", _text(conclusion.summary), "\n\n"]
    for f in conclusion.failed:
        out.append(
            f"- *{_text(wording.metric_title(f.name))}* is {_text(wording.format_value(f.value))}"
            f" (target {_text(f.target)}): {_text(f.fix)}.\n"
        )
    return out


def typst_source(content: ReportContent, figures: Sequence[RenderedFigure]) -> str:
    """The Typst markup of the report (figures are read from ``sys.inputs`` by their key)."""
    original = content.dataset("original")
    name = original.name if original is not None and original.name else "unnamed dataset"
    subtitle = f"{name}, report {content.provenance.report_id[:8]}"
    parts = [
        _PRELUDE.format(title=typst_string(content.title), subtitle=typst_string(subtitle)),
        "#block(width: 100%)[#set par(justify: false); "
        f'#text(size: 20pt, weight: "bold")[{_text(content.title)}]]\n\n',
    ]
    if original is not None:
        parts.append(
            f"#text(size: 11pt)[{_text(original.name or 'unnamed dataset')}, "
            f"{_text(wording.dimensions(original.rows, original.columns))}; "
            f"report of {_text(wording.when(content.provenance.created_at))}]\n\n"
        )
    summary = wording.summary_line(content)
    parts.append(
        f"#block(fill: luma(95%), inset: 9pt, radius: 3pt, width: 100%)[{_text(summary)}]\n\n"
    )
    parts.append("#heading(level: 2, numbering: none, outlined: false)[At a glance]\n")
    parts.append(_glance(content))
    parts.append("#v(0.5em)\n#outline(title: [Contents], depth: 1)\n#pagebreak()\n")
    parts += _anonymised(content)
    if content.geolocation is not None:
        parts += _geolocation(content)
    else:
        parts += _parameters(content)
        parts += _privacy_and_signal(content)
    parts += _figures(figures)
    parts += _conclusion(content)
    return "".join(parts)


def render_pdf(content: ReportContent, *, figures: Sequence[RenderedFigure] | None = None) -> bytes:
    """The report as PDF bytes (A4, page numbers, table of contents, vector figures).

    Args:
        content: the report.
        figures: its figures when already drawn (``render_figures``), to share them with the
            HTML; drawn here when None.

    Raises:
        ImportError: typst or matplotlib is not installed (both come with the server extra).
    """
    import typst

    if figures is None:
        figures = render_figures(content)
    compiler = typst.Compiler()  # system fonts: a fallback for glyphs the bundled ones lack
    pdf = compiler.compile(
        input=typst_source(content, figures).encode(),
        format="pdf",
        sys_inputs={f.key: f.svg for f in figures},
    )
    if not isinstance(pdf, bytes):  # one document in, one PDF out
        raise TypeError("typst returned no PDF")
    return pdf
