"""app.charts.matrix: a well-formed, accessible, CSP-safe 2×2 scatter plot with a shape per series."""

import re
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
from markupsafe import Markup

from app.charts.matrix import LEFT, MARKER, PAD, PLOT, MatrixPoint, matrix_plot, shape_for
from app.i18n import use_locale
from app.result_charts.matrix import matrix_chart
from app.services.kinds import MATRIX, ResponseView

NS = {"svg": "http://www.w3.org/2000/svg"}
SVG = "{http://www.w3.org/2000/svg}"
EVIL = '<script>alert(1)</script> & "x" hx-get="/boom"'
ITEMS = ["Netcongestie", "Vertraging vergunning"]


def plot(points, items=ITEMS, **kwargs):
    return matrix_plot(
        items=items, points=points, x_label="Impact", y_label="Waarschijnlijkheid", title="Risico's", **kwargs
    )


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def point_groups(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == "matrix-point"]


def centre(marker: ET.Element) -> tuple[float, float]:
    """The middle of a marker, whatever its shape."""
    if marker.tag == f"{SVG}circle":
        return float(marker.get("cx")), float(marker.get("cy"))
    if marker.tag == f"{SVG}rect":
        return (
            float(marker.get("x")) + float(marker.get("width")) / 2,
            float(marker.get("y")) + float(marker.get("height")) / 2,
        )
    coords = [tuple(map(float, pair.split(","))) for pair in marker.get("points").split()]
    return sum(c[0] for c in coords) / len(coords), sum(c[1] for c in coords) / len(coords)


TWO_PARTIES = [
    MatrixPoint(0, "Gemeente", "party-0", 1, 5),
    MatrixPoint(0, "Initiatief", "party-1", 5, 1),
    MatrixPoint(1, "Gemeente", "party-0", 3, 3),
    MatrixPoint(0, "Iedereen", "overall", 3.5, 2),
]


def test_well_formed_accessible_svg():
    svg = plot(TWO_PARTIES)
    assert isinstance(svg, Markup)
    root = parse(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img" and root.get("width") == "100%"
    title, desc = root.find("svg:title", NS), root.find("svg:desc", NS)
    assert title.text == "Risico's"
    assert root.get("aria-labelledby") == title.get("id") and root.get("aria-describedby") == desc.get("id")
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    x, y, w, h = (float(v) for v in root.get("viewBox").split())
    assert (x, y, w) == (0, 0, 640) and h > PLOT
    assert len([r for r in root.iter(f"{SVG}rect") if "matrix-quadrant" in r.get("class", "")]) == 4
    assert len([ln for ln in root.iter(f"{SVG}line") if ln.get("class") == "matrix-midline"]) == 2
    assert "style=" not in svg and "<script" not in svg


def test_markers_sit_where_their_values_are():
    root = parse(plot(TWO_PARTIES))
    cell = PLOT / 5
    top = PAD

    def expected(x, y):
        return LEFT + (x - 0.5) * cell, top + PLOT - (y - 0.5) * cell

    got = {}
    for group in point_groups(root):
        marker = next(iter(group))
        number = "".join(group.find("svg:text", NS).itertext())
        got[(number, marker.get("class").split()[-1])] = (centre(marker), marker.get("data-shape"))
    assert got[("1", "party-0")][0] == pytest.approx(expected(1, 5), abs=0.01)  # top left: low x, high y
    assert got[("1", "party-1")][0] == pytest.approx(expected(5, 1), abs=0.01)  # bottom right
    assert got[("2", "party-0")][0] == pytest.approx((LEFT + PLOT / 2, top + PLOT / 2), abs=0.01)  # the middle
    assert got[("1", "overall")][0] == pytest.approx(expected(3.5, 2), abs=0.01)
    # A shape per series: colour is not the only cue.
    assert [got[key][1] for key in [("1", "party-0"), ("1", "party-1"), ("1", "overall")]] == [
        "circle",
        "square",
        "diamond",
    ]
    # Everyone's marker is drawn last, over the parties'.
    assert point_groups(root)[-1].find("svg:polygon", NS).get("class").endswith("overall")


def test_markers_on_the_same_spot_are_laid_side_by_side():
    same = [MatrixPoint(0, "Initiatief", "party-1", 2, 4), MatrixPoint(0, "Iedereen", "overall", 2, 4)]
    root = parse(plot(same))
    (ax, ay), (bx, by) = (centre(next(iter(g))) for g in point_groups(root))
    x, y = LEFT + 1.5 * PLOT / 5, PAD + PLOT - 3.5 * PLOT / 5
    assert ay == by == pytest.approx(y) and (ax + bx) / 2 == pytest.approx(x) and bx - ax > 2 * MARKER
    anchor = root.find("svg:g/svg:circle[@class='matrix-anchor']", NS)
    assert (float(anchor.get("cx")), float(anchor.get("cy"))) == pytest.approx((x, y))
    assert len([ln for ln in root.iter(f"{SVG}line") if ln.get("class") == "matrix-leader"]) == 2
    alone = parse(plot(TWO_PARTIES))
    assert not [ln for ln in alone.iter(f"{SVG}line") if ln.get("class") == "matrix-leader"]


def test_values_off_the_scale_are_clamped_onto_the_plot():
    root = parse(plot([MatrixPoint(0, "Gemeente", "party-0", 9, -4)]))
    cx, cy = centre(next(iter(point_groups(root)[0])))
    assert cx == pytest.approx(LEFT + 4.5 * PLOT / 5) and cy == pytest.approx(PAD + PLOT - 0.5 * PLOT / 5)


def test_legend_key_and_description():
    root = parse(plot(TWO_PARTIES, position_words=lambda x, y: "hoog" if x > 3 else "niet hoog"))
    legend = ["".join(t.itertext()) for t in root.iter(f"{SVG}text") if t.get("class") == "chart-legend"]
    assert legend == ["Gemeente", "Initiatief", "Iedereen"]
    key = ["".join(t.itertext()) for t in root.iter(f"{SVG}text") if t.get("class") == "matrix-key-text"]
    assert key == ITEMS
    desc = root.find("svg:desc", NS).text
    assert desc.startswith(
        "1. Netcongestie: Gemeente Impact 1.0, Waarschijnlijkheid 5.0 (niet hoog); "
        "Initiatief Impact 5.0, Waarschijnlijkheid 1.0 (hoog);"
    )
    assert "2. Vertraging vergunning: Gemeente Impact 3.0, Waarschijnlijkheid 3.0 (niet hoog)." in desc
    # Given series come first in the legend, also without points (the room learns the shapes before any rating).
    seeded = parse(plot(TWO_PARTIES[1:2], series=[("Gemeente", "party-0"), ("Initiatief", "party-1")]))
    legend = ["".join(t.itertext()) for t in seeded.iter(f"{SVG}text") if t.get("class") == "chart-legend"]
    assert legend == ["Gemeente", "Initiatief"]
    assert next(iter(point_groups(seeded)[0])).get("data-shape") == "square"
    empty = parse(plot([], items=["A"], no_position_text="nog geen positie")).find("svg:desc", NS).text
    assert empty == "1. A: nog geen positie."


def test_user_text_is_escaped():
    svg = plot([MatrixPoint(0, EVIL, "party-0", 2, 2)], items=[EVIL, "B"])
    assert "<script>" not in svg and 'hx-get="/boom"' not in svg
    root = parse(svg)  # still well-formed XML
    assert EVIL in root.find("svg:desc", NS).text
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert EVIL in texts
    assert not re.search(r"\sstyle=", svg)


def test_deterministic_and_no_items():
    assert plot(TWO_PARTIES) == plot(TWO_PARTIES)
    assert plot(TWO_PARTIES) != plot(TWO_PARTIES[:2])
    assert plot(TWO_PARTIES, chart_id="matrix-7").startswith('<svg xmlns="http://www.w3.org/2000/svg" class="chart')
    assert 'id="matrix-7"' in plot(TWO_PARTIES, chart_id="matrix-7")
    empty = parse(plot([], items=[], no_data_text="Nog geen reacties"))
    assert empty.find("svg:desc", NS).text == "Nog geen reacties"


def test_every_series_class_has_its_own_shape():
    classes = [f"party-{i}" for i in range(6)] + ["overall"]
    assert len({shape_for(c, i) for i, c in enumerate(classes)}) == len(classes)
    assert shape_for("party-1 extra", 0) == "square"


def test_result_plot_combined_or_for_one_party():
    config = MATRIX.parse_config({"items": ["Geld", "Tijd"], "x_label": "Invloed", "y_label": "Belang"})
    parties = [SimpleNamespace(id=1, name="Gemeente"), SimpleNamespace(id=2, name="Initiatief")]
    result = MATRIX.aggregate(config, parties, [ResponseView(1, 2, {"ratings": [[5, 1], None]})])
    with use_locale("nl"):
        combined = parse(matrix_chart(result, "Wie?"))
        only_gemeente = parse(matrix_chart(result, "Wie?", party=0))
    legend = ["".join(t.itertext()) for t in combined.iter(f"{SVG}text") if t.get("class") == "chart-legend"]
    assert legend == ["Gemeente", "Initiatief", "Iedereen"]
    assert [g.get("data-item") for g in point_groups(combined)] == ["1", "1"]  # Initiatief and everyone
    assert "Initiatief Invloed 5.0, Belang 1.0 (Invloed hoog, Belang laag)" in combined.find("svg:desc", NS).text
    assert point_groups(only_gemeente) == []
    assert only_gemeente.find("svg:desc", NS).text == "1. Geld: nog geen positie. 2. Tijd: nog geen positie."
