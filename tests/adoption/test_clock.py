"""Months in a stated zone: the arithmetic fast path agrees with datetime on every edge."""

from __future__ import annotations

import datetime
import random

import pytest

from ai_governance.adoption.clock import Clock, zone


@pytest.mark.parametrize("target", ["UTC", "+14:00", "-12:00", "+05:45", "-03:30"])
def test_the_month_of_every_edge_date_is_the_one_datetime_gives(target: str) -> None:
    place = zone(target)
    clock = Clock(place)
    chance = random.Random(1130)
    offsets = [f"{s}{h:02d}:{m:02d}" for s in "+-" for h in range(15) for m in (0, 30, 45)]
    for _ in range(4000):
        year = chance.choice([1999, 2000, 2024, 2026, 2100])
        month = chance.randint(1, 12)
        last = (datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(1)).day
        day = chance.choice([1, 2, 27, 28, 29, 30, 31, 15])
        day = min(day, last)
        offset = chance.choice([o for o in offsets if o[1:] <= "14:00" and o[:3] >= "-12"])
        text = (
            f"{year:04d}-{month:02d}-{day:02d}T{chance.randint(0, 23):02d}:"
            f"{chance.randint(0, 59):02d}:{chance.randint(0, 59):02d}{offset}"
        )
        expected = datetime.datetime.fromisoformat(text).astimezone(place).strftime("%Y-%m")
        assert clock.month(text.encode()).decode() == expected, text


def test_a_named_zone_follows_its_daylight_saving_time() -> None:
    clock = Clock(zone("America/New_York"))
    assert clock.month(b"2026-04-01T03:30:00+00:00") == b"2026-03"  # EDT: UTC-4
    assert clock.month(b"2026-02-01T04:30:00+00:00") == b"2026-01"  # EST: UTC-5
    assert clock.day(b"2026-02-01T04:30:00+00:00") == b"2026-01-31"


def test_zones_that_do_not_exist_are_refused() -> None:
    with pytest.raises(ValueError, match="give UTC, an offset such as"):
        zone("Mars/Olympus")
    with pytest.raises(ValueError, match="give UTC, an offset such as"):
        zone("+5")
