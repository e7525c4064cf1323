#!/usr/bin/env python3
"""Writes strptime.golden.jsonl: what Python's datetime.strptime (which
Eventgen used to read the timestamps of replay samples) makes of many
layouts and values, including the ones it rejects. TestStrptimeGolden
compares Layout.Parse to it.

Regenerate on Linux with glibc (the file was made with Python 3.11.7):

    LC_ALL=C TZ=UTC python3 testdata/strptime_golden.py > testdata/strptime.golden.jsonl

Each line is {"layout", "value", "ok"} plus, when ok, "time" (the wall
clock, microseconds) and "offset" (seconds east of UTC for %z, null for a
naive result), else "error" (Python's message, for reading only).

Left out, because Parse differs from Python on purpose (each is a table
test in strptime_test.go instead): directives Python lacks (%s, %N, %e,
%D, %F, ...), repeated directives (Python raises re.error), a year-less
February 29 (Python: "day is out of range for month"; Parse: 1904-02-29),
a "+hhmm" after a layout without %z (Python: "unconverted data remains";
Parse: the UTC offset, fixing Eventgen's quirk), %Z of "Z" (Parse accepts
it), %z with a fraction of a second (Go zones have whole seconds) and
non-ASCII digits (Python's \\d takes them).
"""
import datetime
import json
import locale
import random
import re
import sys
import time

locale.setlocale(locale.LC_ALL, "C")
assert time.tzname[0] == "UTC" and not time.daylight, "run with TZ=UTC"

YEARISH = re.compile(r"%[YycxG]")
seen = set()


def emit(layout, value):
    if (layout, value) in seen:
        return
    seen.add((layout, value))
    rec = {"layout": layout, "value": value}
    try:
        dt = datetime.datetime.strptime(value, layout)
    except ValueError as e:
        msg = str(e)
        if msg == "day is out of range for month" and not YEARISH.search(layout):
            try:
                tt = time.strptime(value, layout)
            except ValueError:
                tt = None
            if tt and (tt.tm_mon, tt.tm_mday) == (2, 29):
                return  # year-less February 29
        m = re.fullmatch(r"unconverted data remains: (.*)", msg, re.S)
        if m and "%z" not in layout and re.fullmatch(r" ?[+-]\d{4}", m.group(1)):
            return  # the trailing offset Parse accepts
        rec["ok"] = False
        rec["error"] = msg
    except re.error:
        return  # repeated directive
    else:
        rec["ok"] = True
        rec["time"] = dt.replace(tzinfo=None).isoformat(timespec="microseconds")
        off = dt.utcoffset()
        if off is not None and off.microseconds:
            return  # fractional offset
        rec["offset"] = None if off is None else int(off.total_seconds())
    sys.stdout.write(json.dumps(rec) + "\n")


def tz(off, name):
    return datetime.timezone(datetime.timedelta(seconds=off), name)


instants = [
    datetime.datetime(2024, 3, 5, 7, 8, 9, 123456, tz(0, "UTC")),
    datetime.datetime(2024, 3, 10, 19, 8, 9, 1, tz(3600, "CET")),
    datetime.datetime(2024, 12, 31, 23, 59, 59, 999999, tz(19800, "IST")),
    datetime.datetime(2023, 1, 1, 0, 0, 0, 0, tz(-3600, "-01")),
    datetime.datetime(2026, 6, 15, 12, 30, 0, 0, tz(-34200, "-0930")),
    datetime.datetime(2021, 1, 3, 0, 5, 6, 500000, tz(0, "UTC")),
    datetime.datetime(1999, 11, 28, 13, 0, 0, 0, tz(0, "GMT")),
    datetime.datetime(1969, 7, 20, 20, 17, 40, 0, tz(0, "UTC")),
    datetime.datetime(2068, 2, 29, 11, 59, 1, 10, tz(0, "UTC")),
    datetime.datetime(1000, 1, 1, 0, 0, 0, 0, tz(0, "UTC")),
    datetime.datetime(9999, 12, 31, 23, 59, 59, 999999, tz(0, "UTC")),
]

# Layouts rendered at every instant with strftime, then read back.
rendered = [
    "%a", "%A", "%b", "%B", "%c", "%d", "%f", "%H", "%I", "%j", "%m", "%M", "%p",
    "%S", "%U", "%w", "%W", "%x", "%X", "%y", "%Y", "%z", "%Z", "%%",
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S.%f%z", "%d/%b/%Y:%H:%M:%S %z",
    "%b %d %H:%M:%S", "%a %b %d %H:%M:%S %Y", "%m/%d/%Y %I:%M:%S %p",
    "%Y-%m-%d %H:%M:%S,%f", "%b %d %H:%M:%S,%f", "%Y-%m-%dT%H:%M:%S+00:00",
    "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d %H:%M:%S %Z", "%x %X", "%G-W%V-%u",
    "%G %V %a", "%G %V %w", "%Y %U %w", "%Y %W %a", "%Y %U %A", "%Y %W %u", "%Y %j",
    "%Y %j %H", "%A, %B %d, %Y %I:%M %p", "%d.%m.%y %H:%M", "%Y%m%d%H%M%S",
    "%Y%m%d%H%M%S%f", "%I%p", "%B %Y", "%y %U %w", "[%d/%b/%Y:%H:%M:%S.%f %z]",
    "%Y-%m-%d %H:%M:%S.%f %z", "%H:%M:%S.%f", "%m-%d %H:%M",
]
for dt in instants:
    for layout in rendered:
        emit(layout, dt.strftime(layout))
    for off in (0, 3600, -18000, 19800, -34200, 50400, -43200):
        z = datetime.timezone(datetime.timedelta(seconds=off))
        emit("%Y-%m-%d %H:%M:%S%z", dt.replace(tzinfo=z).strftime("%Y-%m-%d %H:%M:%S%z"))
        emit("%Y-%m-%dT%H:%M:%S%z", dt.replace(tzinfo=z).isoformat(timespec="seconds"))

# A week of days around the turn of years, for %U, %W, %V and %j.
for year in range(2015, 2030):
    day = datetime.datetime(year, 12, 24)
    for _ in range(16):
        for layout in ("%Y %U %w", "%Y %W %u", "%G %V %u", "%Y %j", "%y %U %a", "%Y %W %A %H"):
            emit(layout, day.strftime(layout))
        day += datetime.timedelta(days=1)

# Hand-picked values, valid and not.
cases = {
    "%Y": ["2024", "0001", "0000", "9999", "24", "20245", "abcd", "", " 2024", "2024 "],
    "%y": ["00", "68", "69", "99", "5", "123", "ab"],
    "%m": ["1", "01", "9", "10", "12", "13", "0", "00", "Mar", "001"],
    "%d": ["1", "01", " 1", "31", "32", "0", "00", "  1", " 0", "3 "],
    "%H": ["0", "00", "9", "23", "24", "123"],
    "%I": ["0", "1", "12", "13", "00"],
    "%M": ["0", "59", "60", "7"],
    "%S": ["0", "59", "60", "61", "62", "5"],
    "%f": ["0", "1", "12", "123456", "1234567", "000001", "", "a"],
    "%j": ["060", "1", "001", "0", "000", "366", "367", "99", "099", "100", "36"],
    "%U": ["0", "53", "54", "00", "10"], "%W": ["0", "53", "54", "10"],
    "%V": ["0", "1", "53", "54", "10"], "%w": ["0", "3", "6", "7"], "%u": ["0", "1", "7", "8"],
    "%a": ["Fri", "mon", "MON", "Mon", "Monday", "xyz", "thu", "Thurs"],
    "%A": ["monday", "MONDAY", "Mon", "wednesday", "Wednesdayx"],
    "%b": ["jan", "JAN", "Jan", "January", "sept", "Sep", "xyz"],
    "%B": ["january", "JANUARY", "Jan", "may", "MAY", "Mayo"],
    "%p": ["AM", "am", "Pm", "pM", "a.m.", "XM"],
    "%I %p": ["12 AM", "12 PM", "1 am", "11 pm", "0 am", "13 pm"],
    "%p %I": ["PM 12", "PM 1", "AM 12"],
    "%H %p": ["13 AM", "1 PM"],
    "%z": ["+0000", "-0000", "+0530", "-0930", "+05:30", "+01:00:30", "+010030", "+01:0030",
           "+0100:30", "+2359", "+2400", "-2400", "+9959", "+0060", "+1", "+01", "+013", "Z", "z",
           "UTC", "+01:", "+01:3", "+ 0100", "0100"],
    "%Z": ["UTC", "utc", "GMT", "gmt", "Gmt", "EST", "CET", "UTCX", "", "U"],
    "%Y-%m-%d": ["2024-02-29", "2023-02-29", "2023-04-31", "2024-1-5", "2024-01-5x", "2024/01/05",
                 "2024-13-01", "2024-00-01", "0000-01-01"],
    "%H:%M:%S": ["23:59:59", "23:59:60", "24:00:00", "1:2:3", "01:02:03.5"],
    "%Y %j": ["2023 366", "2024 366", "2024 060", "2023 060", "1900 001"],
    "%G %V %u": ["2024 1 1", "2024 53 7", "2020 53 7", "2026 1 1", "2024 0 1", "0001 1 1"],
    "%G %V": ["2024 10"], "%Y %V %u": ["2024 10 1"], "%V %u": ["10 1"],
    "%G %V %u %j": ["2024 1 1 100"], "%G": ["2024"], "%G %u": ["2024 1"],
    "%Y %U %w": ["2024 0 0", "2024 0 6", "2023 0 0", "2024 53 6", "0001 0 0", "2022 0 0"],
    "%Y %W %u": ["2024 0 1", "2023 0 1", "2023 0 7", "2024 53 7"],
    "%U %w": ["0 0", "10 3"],
    "%c": ["Tue Mar  5 07:08:09 2024", "Tue Mar 5 07:08:09 2024", "tue mar 05 07:08:09 2024",
           "Tue Mar  5 07:08:09 24"],
    "%x": ["03/05/24", "3/5/24", "03/05/2024"], "%X": ["07:08:09", "7:8:9"],
    "%%": ["%", "%%", ""], "%Y%%": ["2024%"], "100%% %d": ["100% 5", "100 5"],
    "%d %m": ["1 2", "1\t\t2", "1\n2", " 1 2", "1 2 ", "12", "1\u00a02", "1\u20032", "1\x1c2",
              "1\x852", "1\u180e2", "1\u200b2", "1\v2"],
    "%d  %m": ["1 2", "1     2"], " %d": [" 5", "5", "   5", "  05"], "%d ": ["5 ", "5", "5  "],
    "%Y\t%m": ["2024 3", "2024\t3", "2024\r\n3"],
    "%Yt%m": ["2024t03", "2024T03", "2024x03"],
    "%Y-%m-%dT%H": ["2024-03-05t10", "2024-03-05T10"],
    "%Y\u00e9%m": ["2024\u00c903", "2024\u00e903", "2024e03"],
    "%Yk%m": ["2024\u212a03", "2024K03"], "%Ys%m": ["2024\u017f03", "2024S03"],
    "%Y.%m": ["2024.03", "2024x03"], "(%Y)": ["(2024)"], "[%d]": ["[5]", "[ 5]"],
    "%b %d %H:%M:%S": ["Mar  5 10:00:00", "Mar 5 10:00:00", "Feb 30 10:00:00", "Mar 05 10:00:00 +0000"],
    "%Y-%m-%d %H:%M:%S": ["2024-03-05 10:00:00 +0000", "2024-03-05 10:00:00 extra", "2024-03-05 10:00"],
    "%Y-%m-%d %H:%M:%S,%f": ["2024-03-05 10:00:00,123", "2024-03-05 10:00:00,1234567", "2024-03-05 10:00:00,"],
    "%d/%b/%Y:%H:%M:%S %z": ["05/Mar/2024:10:00:00 +0000", "05/Mar/2024:10:00:00 -0500",
                             "05/Mar/2024:10:00:00", "05/Mar/2024:10:00:00 +05:30", "5/mar/2024:1:2:3 Z"],
}
for layout, values in cases.items():
    for value in values:
        emit(layout, value)

# Digit soup: backtracking between adjacent numbers, and what is left over.
rng = random.Random(20240305)
soup = ["%m%d", "%d%m", "%H%M%S", "%d%m%y", "%j%H", "%M%S", "%I%M%p", "%Y%m%d", "%m%d%H%M",
        "%y%j", "%S%f", "%m1", "1%d", "%d0", "%H%M", "%m%d%Y", "%j", "%U%w", "%W%u%Y", "%f%S"]
for layout in soup:
    for _ in range(60):
        n = rng.randint(1, 10)
        value = "".join(rng.choice("0123456789") for _ in range(n))
        if layout == "%I%M%p":
            value += rng.choice(["AM", "pm", ""])
        emit(layout, value)
