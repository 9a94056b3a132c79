"""The figure registry: every app's section is registered, one figure is found by its key for a
period and a scope (what the yearly report asks), and each figure has its definition."""

import pytest

from portal import registry
from portal.models import Region
from portal.periods import parse_period

pytestmark = pytest.mark.django_db


def test_sections_and_definitions():
    assert [s.app for s in registry.sections()] == [
        "enterprises",
        "xiangxian",
        "alliances",
        "nonparty",
    ]
    definitions = registry.figure_definitions()
    for key in (
        "appeals.closed",
        "sessions.held",
        "xiangxian.people",
        "alliances.ethnic_coverage",
        "nonparty.talks_done",
    ):
        assert str(definitions[key])


def test_one_figure_by_key(leader, entrepreneur):
    period = parse_period("2023")
    figure = registry.figure(leader, "appeals.accepted", period)
    assert figure is not None and figure.value == 0
    assert "accepted_from=2023-01-01" in figure.url
    assert registry.figure(leader, "no.such.figure", period) is None
    county = Region.objects.get(code="330881000000")
    assert registry.figure(leader, "alliances.alliances", period, county).value == 0
    # Someone who sees none of the line of work gets no figure.
    assert registry.figure(entrepreneur, "xiangxian.people", period) is None


def test_home_strip_sources_still_work(leader):
    keys = [f.key for f in registry.figures_for(leader)]
    assert "enterprises.appeals_this_year" in keys
