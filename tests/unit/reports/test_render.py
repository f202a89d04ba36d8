"""The PDF and HTML renderers: every metric printed, pages drawn, one inline SVG per figure."""

from __future__ import annotations

import dataclasses
import io
import re
from html.parser import HTMLParser

import numpy as np
import pypdf
import pypdfium2
import pytest

from avatars_server.reports import wording
from avatars_server.reports.content import DatasetInfo, ReportContent, example_content
from avatars_server.reports.figures import render_figures
from avatars_server.reports.render_html import render_html
from avatars_server.reports.render_pdf import render_pdf, typst_string

HOSTILE = 'iris #import "evil.typ": * $x^2$ \\ ] [ <b>&amp; @ref _em_ `raw` // not a comment'


def _with_hostile_names(content: ReportContent) -> ReportContent:
    datasets = [dataclasses.replace(d, name=HOSTILE) for d in content.datasets]
    columns = [
        dataclasses.replace(c, label=f"{c.label} #set *x*") for c in datasets[0].column_types
    ]
    datasets[0] = dataclasses.replace(datasets[0], column_types=columns)
    return dataclasses.replace(content, title=f"Report: {HOSTILE}", datasets=datasets)


@pytest.fixture(scope="module")
def content() -> ReportContent:
    return example_content()


@pytest.fixture(scope="module")
def pdf(content: ReportContent) -> bytes:
    return render_pdf(content)


def _pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_holds_every_metric_name_and_its_value(content: ReportContent, pdf: bytes) -> None:
    text = _pdf_text(pdf)
    metrics = content.privacy.metrics + content.signal.metrics
    assert len(metrics) == 14
    for metric in metrics:
        assert metric.name in text
        if metric.value is not None:
            assert wording.format_value(metric.value) in text, metric.name


def test_pdf_is_a4_numbered_with_contents_and_every_section(pdf: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    pages = len(reader.pages)
    assert f"2 / {pages}" in reader.pages[1].extract_text()
    first = reader.pages[0].extract_text()
    assert "Contents" in first
    text = _pdf_text(pdf)
    for section in ("What was anonymised", "Parameters", "Privacy", "Signal", "Figures"):
        assert section in text
    assert "Conclusion" in text


def test_pdf_pages_render_to_non_blank_images(pdf: bytes) -> None:
    document = pypdfium2.PdfDocument(pdf)
    try:
        assert len(document) >= 3
        for index in range(len(document)):
            image = document[index].render(scale=0.6).to_pil().convert("L")
            pixels = np.asarray(image, dtype=np.float64)
            inked = float(np.mean(pixels < 200))
            assert inked > 0.005, f"page {index + 1} is blank"
    finally:
        document.close()


def test_pdf_prints_user_strings_literally(content: ReportContent) -> None:
    text = _pdf_text(render_pdf(_with_hostile_names(content)))
    flat = re.sub(r"\s+", " ", text)
    assert '#import "evil.typ": * $x^2$' in flat
    assert "sepal_length #set *x*" in flat


def test_typst_string_escapes_quotes_backslashes_and_newlines() -> None:
    assert typst_string('a"b\\c\nd') == '"a\\"b\\\\c\\nd"'


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.svg_in_figure = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "svg" and self.stack and self.stack[-1] == "figure":
            self.svg_in_figure += 1
        if tag in ("figure", "svg"):
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("figure", "svg") and self.stack and self.stack[-1] == tag:
            self.stack.pop()


def test_html_is_self_contained_with_one_inline_svg_per_figure(content: ReportContent) -> None:
    html = render_html(content)
    parser = _Collector()
    parser.feed(html)
    parser.close()
    figures = render_figures(content)
    assert len(figures) >= 6
    assert sum(tag == "figure" for tag, _ in parser.tags) == len(figures)
    assert parser.svg_in_figure == len(figures)
    assert sum(tag == "svg" for tag, _ in parser.tags) == len(figures)
    for tag, attrs in parser.tags:
        for name in ("src", "href", "xlink:href", "action"):
            value = attrs.get(name) or ""
            assert not re.match(r"\s*(https?:)?//", value), (tag, name, value)
        assert tag not in ("link", "script", "iframe", "img")
    assert not re.search(r"https?://", html)
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "ids of inline figures collide"
    references = set(re.findall(r'href="#([^"]+)"|url\(#([^)]+)\)', html))
    targets = {a or b for a, b in references}
    assert targets <= set(ids), f"dangling references: {sorted(targets - set(ids))[:5]}"
    for metric in content.privacy.metrics + content.signal.metrics:
        assert metric.name in html
        assert wording.format_value(metric.value) in html


def test_html_escapes_user_strings(content: ReportContent) -> None:
    html = render_html(_with_hostile_names(content))
    assert "<b>&amp;" not in html
    assert "&lt;b&gt;&amp;amp;" in html


def test_a_dataset_without_a_name_still_renders(content: ReportContent) -> None:
    datasets: list[DatasetInfo] = [dataclasses.replace(d, name=None) for d in content.datasets]
    unnamed = dataclasses.replace(content, datasets=datasets)
    assert render_pdf(unnamed).startswith(b"%PDF")
    assert "(unnamed)" in render_html(unnamed)


def _batch_content(name: str) -> ReportContent:
    from avatars_server.reports.content import BatchRow

    privacy = {"hidden_rate": 87.654, "local_cloaking": 7.0, "closest_rate": 93.1}
    rows = [
        BatchRow(i, i == 0, f"id-{i}", f"{name}-{i}", 10 * (i + 1), None, None, privacy, {})
        for i in range(3)
    ]
    return dataclasses.replace(
        example_content(), batches=rows, notes=[f"note with {name}", "no figures here"]
    )


def test_a_batch_report_prints_its_table_and_notes_and_round_trips() -> None:
    content = _batch_content(HOSTILE)
    assert ReportContent.from_json(content.to_json()) == content
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(render_pdf(content))).pages)
    assert "Every batch" in text and "87.65" in text and "no figures here" in text
    html = render_html(content)
    assert 'id="batches"' in html and "87.65" in html and "no figures here" in html
    assert HOSTILE not in html  # escaped


def test_a_report_stored_without_batches_still_loads() -> None:
    data = example_content().to_dict()
    del data["batches"], data["notes"]
    loaded = ReportContent.from_dict(data)
    assert loaded.batches == [] and loaded.notes == []


def test_verify_report_refuses_a_batch_report(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from avatars_server.reports.verify import verify

    content = _batch_content("b")
    content = dataclasses.replace(
        content, provenance=dataclasses.replace(content.provenance, kind="from_batch")
    )
    with pytest.raises(ValueError, match="batch report"):
        verify(content, tmp_path / "a.csv", tmp_path / "b.csv")
