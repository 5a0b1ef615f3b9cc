"""Months and days of author dates in one stated timezone (UTC unless ``--tz`` says).

git prints each author date in its author's own offset; two commits made at the same
instant in Berlin and San Francisco can fall in different months that way. Converting
every date would cost the report a tenth of its time, so only the dates that can change
month are converted: offsets run from -12 to +14 hours, so moving a date to another zone
shifts it by less than two days, and a date between the 3rd and the 26th of a month is in
that month in every zone.
"""

from __future__ import annotations

import datetime

_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _length(year: int, month: int) -> int:
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return _DAYS[month - 1] + (month == 2 and leap)


class Clock:
    def __init__(self, zone: datetime.tzinfo) -> None:
        self.zone = zone
        self._months: dict[bytes, bytes] = {}
        fixed = zone.utcoffset(None)  # a fixed offset (UTC, +02:00); None for a named zone
        self._fixed = None if fixed is None else int(fixed.total_seconds()) // 60

    def _local(self, date: bytes) -> datetime.datetime:
        return datetime.datetime.fromisoformat(date.decode()).astimezone(self.zone)

    def month(self, date: bytes) -> bytes:
        """``YYYY-MM`` of the ISO 8601 ``date`` in this clock's zone."""
        if b"03" <= date[8:10] <= b"26":
            return date[:7]
        if self._fixed is not None and len(date) == 25:  # YYYY-MM-DDTHH:MM:SS+HH:MM
            return self._shifted(date, self._fixed)
        found = self._months.get(date)
        if found is None:
            found = self._local(date).strftime("%Y-%m").encode()
            if len(self._months) < 100_000:
                self._months[date] = found
        return found

    @staticmethod
    def _shifted(date: bytes, target: int) -> bytes:
        """The month of ``date`` at ``target`` minutes east of UTC, by arithmetic: the
        shift moves the date by whole days only across midnight, and the month only when
        that carries it past the month's first or last day."""
        year, month, day = int(date[:4]), int(date[5:7]), int(date[8:10])
        sign = 1 if date[19:20] == b"+" else -1
        offset = sign * (int(date[20:22]) * 60 + int(date[23:25]))
        minute = int(date[11:13]) * 60 + int(date[14:16]) - offset + target
        day += minute // 1440  # floor: -1 for any time before midnight
        if day < 1:
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        elif day > _length(year, month):
            year, month = (year, month + 1) if month < 12 else (year + 1, 1)
        return b"%04d-%02d" % (year, month)

    def day(self, date: bytes) -> bytes:
        """``YYYY-MM-DD`` of ``date`` in this clock's zone."""
        return self._local(date).strftime("%Y-%m-%d").encode()


def zone(name: str | None) -> datetime.tzinfo:
    """``UTC`` (the default), an offset such as ``+02:00``, or an IANA name such as
    ``Europe/Berlin``; ValueError naming what is accepted otherwise."""
    if name is None or name.upper() in ("UTC", "Z"):
        return datetime.timezone.utc
    if name[:1] in "+-" and len(name) == 6 and name[3] == ":":
        try:
            hours, minutes = int(name[1:3]), int(name[4:6])
        except ValueError:
            pass
        else:
            sign = 1 if name[0] == "+" else -1
            return datetime.timezone(sign * datetime.timedelta(hours=hours, minutes=minutes))
    try:
        import zoneinfo

        return zoneinfo.ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        raise ValueError(
            f"--tz {name!r}: give UTC, an offset such as +02:00, or a zone such as Europe/Berlin"
        ) from None
