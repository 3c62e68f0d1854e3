"""The loader: typed objects, exact positions, identical results from both parsers."""

from __future__ import annotations

from factbase.loading.loader import load
from factbase.model import PartialDate, Span, Status
from factbase.loading.yamlsource import Mapping, Scalar, parse

from conftest import MINI, REPO, write


def test_loads_typed_objects_with_positions():
    base = load(MINI / "facts", MINI).base
    fact = base.facts["smile-launch-vehicle"]
    assert fact.subject == "smile" and fact.object == "vega-c"
    assert fact.as_of == PartialDate(2024, 4, 30)
    assert fact.span == Span("facts/claims/smile.yaml", 15, 5)
    assert fact.at("object") == Span("facts/claims/smile.yaml", 17, 13)
    assert fact.citations[0].spans["source"].line == 21
    assert base.facts["smile-planned-launch-2025"].status is Status.SUPERSEDED
    assert base.facts["smile-planned-launch-2025"].value == 2025


def test_inherited_subject_points_at_the_file_subject_line():
    fact = load(MINI / "facts", MINI).base.facts["smile-partner-esa"]
    assert fact.at("subject") == Span("facts/claims/smile.yaml", 1, 10)


def test_scalars_follow_yaml_1_2_core_rules():
    root = parse(b"a: no\nb: 2026-05-19\nc: '12'\nd: 12\ne: 1.5\nf: true\ng: ~\n", "x").root
    assert isinstance(root, Mapping)
    values = {k.value: v.value for k, v in root.items if isinstance(v, Scalar)}
    assert values == {"a": "no", "b": "2026-05-19", "c": "12", "d": 12, "e": 1.5,
                      "f": True, "g": None}


def test_byte_order_mark_is_accepted():
    parsed = parse("\ufeffa: 1\n".encode(), "x")
    assert parsed.diagnostics == () and parsed.root.items[0][1].value == 1


def test_partial_date_precision_and_bounds():
    year, day = PartialDate(2025), PartialDate(2026, 5, 19)
    assert (year.precision, str(year)) == ("year", "2025")
    assert (day.precision, str(day)) == ("day", "2026-05-19")
    assert year.earliest() == (2025, 1, 1) and year.latest() == (2025, 12, 31)


def _spans(base):
    def record(obj):
        return (obj, sorted(obj.spans.items()))
    return {kind: {k: record(v) for k, v in getattr(base, kind).items()}
            for kind in ("sources", "entities", "properties", "facts")}


def test_both_parsers_build_the_same_base_with_the_same_positions():
    fast = load(REPO / "facts", REPO, "libyaml")
    slow = load(REPO / "facts", REPO, "ruamel")
    assert fast.diagnostics == slow.diagnostics
    assert _spans(fast.base) == _spans(slow.base)


def test_loading_continues_past_a_broken_file(mini):
    write(mini, "facts/claims/broken.yaml", "subject: smile\nfacts: [\n")
    result = load(mini / "facts", mini)
    assert [d.code for d in result.diagnostics] == ["E101"]
    assert "smile-launch-vehicle" in result.base.facts


def test_field_positions_read_like_a_dict_and_survive_pickling():
    import pickle
    from factbase.model import FieldSpans
    plain = {"id": Span("f.yaml", 3, 7), "value": Span("f.yaml", 70000, 123456)}
    compact = FieldSpans.of(plain)
    assert isinstance(compact, FieldSpans)
    assert dict(compact) == plain and list(compact) == ["id", "value"]
    assert "value" in compact and "note" not in compact
    assert compact.get("note") is None and compact.get("id") == plain["id"]
    assert dict(pickle.loads(pickle.dumps(compact))) == plain
    mixed = {"id": Span("a.yaml", 1, 1), "value": Span("b.yaml", 2, 2)}
    assert FieldSpans.of(mixed) == mixed  # kept as given: no common path
    fact = load(MINI / "facts", MINI).base.facts["smile-launch-vehicle"]
    assert isinstance(fact.spans, FieldSpans)
