"""app.charts: well-formed, accessible, CSP-safe SVG bar charts and their table alternative."""

import xml.etree.ElementTree as ET

import pytest
from markupsafe import Markup

from app.charts import PALETTE, Series, chart_table, grouped_bars
from app.charts.bars import MIN_BAR
from app.charts.text import wrap

NS = {"svg": "http://www.w3.org/2000/svg"}
SVG = "{http://www.w3.org/2000/svg}"
EVIL = '<script>alert(1)</script> & "x"'


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def bars(root: ET.Element) -> list[ET.Element]:
    return [r for r in root.iter(f"{SVG}rect") if "bar" in r.get("class", "").split()]


def groups(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if "chart-group" in g.get("class", "").split()]


def texts(element: ET.Element, css_class: str) -> list[str]:
    return ["".join(t.itertext()) for t in element.iter(f"{SVG}text") if css_class in t.get("class", "").split()]


def two_parties(a: list[float], b: list[float]) -> list[Series]:
    return [Series("Gemeente", a, "party-0"), Series("Initiatief", b, "party-1")]


def test_well_formed_accessible_svg():
    svg = grouped_bars(categories=["Optie A", "Optie B"], series=two_parties([3, 2], [5, 4]), title="Voorkeur")
    assert isinstance(svg, Markup)
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("width") == "100%"
    assert root.get("role") == "img"
    x, y, w, h = (float(v) for v in root.get("viewBox").split())
    assert (x, y, w) == (0, 0, 640) and h > 100
    title = root.find("svg:title", NS)
    desc = root.find("svg:desc", NS)
    assert title is not None and title.text == "Voorkeur"
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids))


def test_desc_summarises_the_values():
    svg = grouped_bars(
        categories=["Optie A", "Optie B"], series=two_parties([3, 2.5], [5, 4]), title="t", highlight={1}
    )
    desc = parse(svg).find("svg:desc", NS).text
    assert desc == "Optie A: Gemeente 3, Initiatief 5; Optie B: Gemeente 2.5, Initiatief 4 (groot verschil)."


def test_one_bar_per_category_and_series_with_palette_fills():
    series = [*two_parties([1, 2, 3], [3, 2, 1]), Series("Totaal", [2, 2, 2], "overall")]
    root = parse(grouped_bars(categories=["a", "b", "c"], series=series, title="t"))
    found = bars(root)
    assert len(found) == 3 * 3
    assert len(groups(root)) == 3
    fills = {r.get("class"): r.get("fill") for r in found}
    assert fills == {"bar party-0": PALETTE["party-0"], "bar party-1": "#8a4b00", "bar overall": "#1a1a1a"}
    legend = texts(root, "chart-legend")
    assert legend == ["Gemeente", "Initiatief", "Totaal"]


def test_bar_widths_are_proportional():
    root = parse(grouped_bars(categories=["a", "b", "c"], series=two_parties([4, 2, 1], [0, 3, 4]), title="t"))
    widths = [float(r.get("width")) for r in bars(root)]
    # document order: group a (Gemeente, Initiatief), group b, group c
    full = widths[0]
    assert full > 300
    assert full == int(full)  # the bar area is a whole number of units, so quarters are exact to 2 decimals
    assert widths == [full, 0, full / 2, full * 3 / 4, full / 4, full]
    xs = {r.get("x") for r in bars(root)}
    assert len(xs) == 1  # all bars start on the same baseline
    labels = texts(root, "chart-value")
    assert labels == ["4", "0", "2", "3", "1", "4"]


def test_explicit_max_and_min_value_offset():
    series = two_parties([1, 3], [5, 2])
    root = parse(grouped_bars(categories=["a", "b"], series=series, title="t", min_value=1, max_value=5))
    full = float(bars(root)[1].get("width"))  # Initiatief's 5 on a 1-5 scale: full length
    widths = [float(r.get("width")) for r in bars(root)]
    # Gemeente's 1 is the bottom of the scale: a real rating, drawn as a short bar rather than an empty one.
    assert widths == [MIN_BAR, full, full / 2, full / 4]
    ticks = ["".join(t.itertext()) for g in root.iter(f"{SVG}g") if g.get("class") == "chart-axis" for t in g]
    assert ticks == ["1", "2", "3", "4", "5"]
    one_decimal = parse(
        grouped_bars(
            categories=["a"],
            series=two_parties([2], [4]),
            title="t",
            min_value=1,
            max_value=5,
            value_format="{:.1f}",
            tick_format="{:g}",
        )
    )
    assert texts(one_decimal, "chart-value") == ["2.0", "4.0"]
    axis = [g for g in one_decimal.iter(f"{SVG}g") if g.get("class") == "chart-axis"][0]
    assert ["".join(t.itertext()) for t in axis] == ["1", "2", "3", "4", "5"]


def test_values_above_max_are_clamped_but_labelled_truthfully():
    root = parse(grouped_bars(categories=["a"], series=two_parties([150], [50]), title="t", max_value=100))
    widths = [float(r.get("width")) for r in bars(root)]
    assert widths == [widths[0], widths[0] / 2]
    assert texts(root, "chart-value") == ["150", "50"]
    below = parse(grouped_bars(categories=["a"], series=two_parties([-3], [2]), title="t", min_value=1, max_value=5))
    assert float(bars(below)[0].get("width")) == 0


def test_default_max_is_largest_value_at_least_one():
    root = parse(grouped_bars(categories=["a"], series=two_parties([0], [0]), title="t"))
    assert [r.get("width") for r in bars(root)] == ["0", "0"]
    assert texts(root, "chart-value") == ["0", "0"]
    small = parse(grouped_bars(categories=["a"], series=two_parties([0.5], [0.25]), title="t"))
    w = [float(r.get("width")) for r in bars(small)]
    assert w[0] == pytest.approx(2 * w[1], abs=0.01)
    assert w[0] < 400  # 0.5 of a 0..1 scale, not full length


def test_value_format_and_missing_values():
    series = [Series("Gemeente", [12.345, None], "party-0"), Series("Initiatief", [50, 7], "party-1")]
    root = parse(grouped_bars(categories=["a", "b"], series=series, title="t", value_format="{:.1f}%", max_value=100))
    assert texts(root, "chart-value") == ["12.3%", "50.0%", "\u2013", "7.0%"]
    assert len(bars(root)) == 3  # no bar for the missing value
    assert "Gemeente \u2013" in root.find("svg:desc", NS).text


def test_user_text_is_escaped():
    svg = str(grouped_bars(categories=[EVIL], series=[Series(EVIL, [1], "party-0")], title=EVIL))
    assert "<script>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;x&#34;" in svg
    root = parse(svg)
    assert root.find("svg:title", NS).text == EVIL
    assert texts(root, "chart-label") == [EVIL]
    # long series names are shortened (with an ellipsis) before escaping, never inside an entity
    assert texts(root, "chart-legend") == [EVIL[:29] + "\u2026"]
    assert texts(root, "chart-series")[0].startswith("<script>")
    assert not list(root.iter(f"{SVG}script"))
    # a hostile css_class cannot break out of its attribute
    hostile = str(grouped_bars(categories=["a"], series=[Series("s", [1], 'x" onload="alert(1)')], title="t"))
    assert "onload=" not in parse(hostile).find(".//svg:rect[@class]", NS).attrib


def test_no_inline_styles_or_scripts():
    svg = str(
        grouped_bars(categories=["a", "b"], series=two_parties([1, 2], [3, 4]), title="t", highlight={0}, min_value=1)
    )
    assert "style=" not in svg
    assert "<script" not in svg
    assert "on" + "load" not in svg


def test_font_sizes_readable():
    svg = grouped_bars(categories=["a"], series=two_parties([1], [2]), title="t", highlight={0})
    sizes = [float(t.get("font-size")) for t in parse(svg).iter(f"{SVG}text")]
    assert sizes and min(sizes) >= 14


def test_highlight_marker_only_on_highlighted_groups():
    root = parse(
        grouped_bars(categories=["a", "b", "c"], series=two_parties([1, 1, 1], [1, 5, 1]), title="t", highlight={1})
    )
    found = groups(root)
    assert [("highlight" in g.get("class").split()) for g in found] == [False, True, False]
    for i, g in enumerate(found):
        markers = texts(g, "chart-marker")
        outlines = [r for r in g.iter(f"{SVG}rect") if r.get("class") == "chart-outline"]
        if i == 1:
            assert markers == ["\u2260"]
            assert len(outlines) == 1 and outlines[0].get("fill") == "none" and outlines[0].get("stroke")
        else:
            assert markers == [] and outlines == []
    # the legend explains the marker in words
    assert "groot verschil" in texts(root, "chart-legend")
    plain = parse(grouped_bars(categories=["a"], series=two_parties([1], [5]), title="t"))
    assert texts(plain, "chart-marker") == [] and "groot verschil" not in texts(plain, "chart-legend")


def test_deterministic_and_ids_differ_per_content():
    kwargs = dict(categories=["a", "b"], series=two_parties([1, 2], [3, 4]), title="t", highlight={1})
    assert grouped_bars(**kwargs) == grouped_bars(**kwargs)
    other = grouped_bars(**{**kwargs, "title": "u"})
    assert parse(other).get("id") != parse(grouped_bars(**kwargs)).get("id")
    custom = parse(grouped_bars(**kwargs, chart_id="q 3"))
    assert custom.get("id") == "q-3"
    assert custom.find("svg:title", NS).get("id") == "q-3-title"
    assert parse(grouped_bars(**kwargs, chart_id="7")).get("id") == "chart-7"


def test_empty_categories_render_no_data():
    root = parse(grouped_bars(categories=[], series=[], title="Leeg", no_data_text="Nog geen antwoorden"))
    assert texts(root, "chart-empty") == ["Nog geen antwoorden"]
    assert root.find("svg:desc", NS).text == "Nog geen antwoorden"
    assert bars(root) == []
    assert root.get("viewBox").startswith("0 0 640 ")
    no_series = parse(grouped_bars(categories=["a"], series=[], title="t"))
    assert texts(no_series, "chart-empty") == ["Geen gegevens"]


def test_mismatched_lengths_rejected():
    with pytest.raises(ValueError):
        grouped_bars(categories=["a", "b"], series=two_parties([1], [2, 3]), title="t")


def test_many_categories_grow_the_height():
    def height(n: int) -> float:
        svg = grouped_bars(categories=[f"c{i}" for i in range(n)], series=two_parties([1] * n, [2] * n), title="t")
        return float(parse(svg).get("viewBox").split()[3])

    assert height(2) < height(10) < height(40)
    assert height(40) - height(39) == pytest.approx(height(10) - height(9))


def test_long_labels_wrap_to_three_lines():
    long = "Hoe kunnen de gemeente en het initiatief samen de warmtetransitie in de wijk organiseren " * 3
    root = parse(grouped_bars(categories=[long], series=two_parties([1], [2]), title="t"))
    lines = texts(root, "chart-label")
    assert len(lines) == 3
    assert all(len(line) <= 60 for line in lines)
    assert lines[-1].endswith("\u2026")
    assert root.find("svg:desc", NS).text.startswith(long.strip()[:80])  # the description keeps the full text


def test_wrap_helper():
    assert wrap("Optie A", 40, 3) == ["Optie A"]
    assert wrap("een twee drie vier", 9, 3) == ["een twee", "drie vier"]
    assert wrap("a" * 25, 10, 3) == ["a" * 10, "a" * 10, "a" * 5]
    assert wrap("a" * 35, 10, 3) == ["a" * 10, "a" * 10, "a" * 9 + "\u2026"]
    assert wrap("", 10, 3) == [""]


def test_chart_table_structure_and_escaping():
    html = str(
        chart_table(
            categories=["Optie A", EVIL],
            series=[Series("Gemeente", [3, None], "party-0"), Series(EVIL, [5, 2.5], "party-1")],
            caption="Voorkeur <b>",
            highlight={1},
        )
    )
    assert "<script>" not in html and "<b>" not in html
    root = ET.fromstring(html)
    assert root.tag == "table"
    assert "".join(root.find("caption").itertext()) == "Voorkeur <b>"
    cols = root.findall("./thead/tr/th")
    assert [th.get("scope") for th in cols] == ["col", "col", "col"]
    assert ["".join(th.itertext()) for th in cols[1:]] == ["Gemeente", EVIL]
    rows = root.findall("./tbody/tr")
    assert len(rows) == 2
    assert [r.find("th").get("scope") for r in rows] == ["row", "row"]
    assert "".join(rows[0].find("th").itertext()) == "Optie A"
    assert [td.text for td in rows[0].findall("td")] == ["3", "5"]
    assert [td.text for td in rows[1].findall("td")] == ["\u2013", "2.5"]
    assert rows[1].get("class") == "highlight" and rows[0].get("class") is None
    assert "".join(rows[1].find("th").itertext()) == EVIL + " \u2260 groot verschil"


def test_zero_votes_stay_empty_but_a_rating_at_the_bottom_shows():
    votes = parse(grouped_bars(categories=["a"], series=two_parties([0], [3]), title="t"))
    assert [float(r.get("width")) for r in bars(votes)][0] == 0  # no votes: no bar
    ratings = parse(
        grouped_bars(categories=["a"], series=two_parties([1.0], [1.0]), title="t", min_value=1, max_value=5)
    )
    assert [float(r.get("width")) for r in bars(ratings)] == [MIN_BAR, MIN_BAR]


def test_labels_beside_make_a_lower_chart_with_the_same_bars():
    categories = ["Een werkafspraak die we elk halfjaar samen bijstellen", "Een convenant", "Een pilot"]
    series = two_parties([2, 3, 1], [1, 0, 4])
    above = parse(grouped_bars(categories=categories, series=series, title="t", width=800))
    beside = parse(grouped_bars(categories=categories, series=series, title="t", width=800, labels_beside=True))
    height = lambda root: float(root.get("viewBox").split()[3])  # noqa: E731
    assert height(beside) < height(above)
    assert " ".join(texts(beside, "chart-label")) == " ".join(categories)  # every label, wrapped beside its bars
    label_x = {float(t.get("x")) for t in beside.iter(f"{SVG}text") if t.get("class") == "chart-label"}
    assert max(label_x) < min(float(r.get("x")) for r in bars(beside))  # left of the bars
