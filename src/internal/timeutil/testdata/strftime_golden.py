#!/usr/bin/env python3
"""Writes strftime.golden.jsonl: what Python's strftime (glibc, C locale)
prints for many layouts and instants. TestGolden compares Format.Append to it.

Regenerate on Linux with glibc (the file was made with Python 3.11.7 and
glibc 2.36):

    LC_ALL=C TZ=UTC python3 testdata/strftime_golden.py > testdata/strftime.golden.jsonl

Left out, because Python itself gets them wrong rather than glibc: flags or
modifiers on %s, %z and %Z (glibc then reads the zone of the process, not of
the datetime), and %:z (Python 3.12+ only). %s is substituted here with the
integer epoch, which is what strftime's %s means for an aware datetime.
"""
import datetime
import json
import locale
import sys

locale.setlocale(locale.LC_ALL, "C")


def render(dt, layout):
    out = []
    i = 0
    while i < len(layout):
        if layout.startswith("%%", i):
            out.append("%%")
            i += 2
        elif layout.startswith("%s", i):
            out.append(str(int(dt.timestamp())))
            i += 2
        else:
            out.append(layout[i])
            i += 1
    return dt.strftime("".join(out))


def emit(dt, layout):
    off = int(dt.utcoffset().total_seconds())
    rec = {
        "time": dt.replace(tzinfo=None).isoformat(timespec="microseconds"),
        "offset": off,
        "zone": dt.tzname(),
        "layout": layout,
        "want": render(dt, layout),
    }
    sys.stdout.write(json.dumps(rec) + "\n")


def tz(off, name):
    return datetime.timezone(datetime.timedelta(seconds=off), name)


numeric = "CdeHkIljmMSsuwUWVyYgG"
layouts = []
layouts += ["%" + c for c in "aAbBcCdDeFgGhHIjklmMnpPrRsStTuUVwWxXyYzZ%f"]
layouts += ["%" + flag + c for c in numeric if c != "s" for flag in "-_0"]
layouts += ["%^a", "%^A", "%^b", "%^B", "%^h", "%#a", "%#A", "%#b", "%#B",
            "%^p", "%#p", "%^P", "%#P", "%_a", "%-b", "%0p"]
layouts += ["%^c", "%^r", "%-c", "%_D", "%^x", "%-%", "%_n", "%-t", "%^F"]
layouts += ["%E" + c for c in "cnprtuxyCPRTXY%"]
layouts += ["%O" + c for c in "bdeghjklmnprtuwyBCGHIMPRSTUVW%"]
layouts += ["%Q", "%L", "%q", "%v", "%+", "%i", "%J", "%K", "%-Q", "%3Q", "%OY",
            "%Ea", "%Ed", "%:d", "%^Q", "%E-d", "%_E%"]
layouts += ["%%", "%n", "%t", "100%% done", "plain text", "%%Y", "%%%Y", ""]
layouts += ["%Y-%m-%dT%H:%M:%S.%f%z", "%d/%b/%Y:%H:%M:%S %z", "%a, %d %b %Y %H:%M:%S %Z",
            "%s.%f", "%b %e %H:%M:%S", "%I:%M %p", "%l:%M%P", "%Y%m%d%H%M%S", "%x %X",
            "[%A %B %-d %-I:%M:%S %p]", "%G-W%V-%u", "%Y week %U/%W day %j"]

instants = [
    datetime.datetime(2024, 3, 5, 7, 8, 9, 123456, tz(0, "UTC")),
    datetime.datetime(2024, 3, 10, 19, 8, 9, 1, tz(3600, "CET")),
    datetime.datetime(2024, 12, 31, 23, 59, 59, 999999, tz(19800, "IST")),
    datetime.datetime(2023, 1, 1, 0, 0, 0, 0, tz(-3600, "-01")),
    datetime.datetime(2026, 6, 15, 12, 30, 0, 0, tz(-34200, "-0930")),
    datetime.datetime(2021, 1, 3, 0, 5, 6, 500000, tz(0, "UTC")),
]
for dt in instants:
    for layout in layouts:
        emit(dt, layout)

yearish = ["%Y", "%C", "%y", "%G", "%g", "%F", "%c", "%D", "%_Y", "%0Y", "%-Y",
           "%_C", "%0C", "%-C", "%_G", "%-y", "%-g", "%EC", "%EY", "%Ey", "%Oy"]
for year in (1, 9, 99, 999, 1000, 1999, 9999):
    for layout in yearish:
        emit(datetime.datetime(year, 1, 1, 0, 0, 0, 0, tz(0, "UTC")), layout)

weeks = "%Y-%m-%d %a %j %U %W %V %G %g %u %w"
for year in range(2015, 2029):
    day = datetime.datetime(year, 12, 20, 12, 0, 0, 0, tz(0, "UTC"))
    for _ in range(22):
        emit(day, weeks)
        day += datetime.timedelta(days=1)
