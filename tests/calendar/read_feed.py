"""Reads an iCalendar (RFC 5545) document on its own, for the calendar feed test.

Usage: read_feed.py < feed.ics

Parses standard input (bytes) with the `icalendar` package, not the app's
code, and prints one JSON document (UTF-8) on standard output:

  {"lines": {"max_octets": N, "all_crlf": BOOL, "all_utf8": BOOL},
   "calendar": {"version", "prodid", "method", "name", "timezones": [TZID, ...]},
   "events": [EVENT, ...], "todos": [TODO, ...]}

lines.max_octets is the longest physical line in octets, its line break not
counted (RFC 5545 §3.1 wants at most 75); lines.all_crlf is true when every
line, the last one included, ends in CRLF and no CR or LF stands alone;
lines.all_utf8 is false when some physical line is not UTF-8 on its own (a
fold that split a character: RFC 5545 §3.1 lets a reader restore it, and this
one does, unfolding the octets before icalendar reads them).
calendar.name is X-WR-CALNAME (unescaped as TEXT), calendar.method METHOD;
each is null when absent. timezones lists the TZID of every VTIMEZONE.

EVENT (one per VEVENT, in document order):
  {"uid", "summary", "description", "url", "sequence" (int), "last_modified",
   "dtstamp", "dtstart": TIME, "dtend": TIME, "duration" (ISO 8601, e.g.
   "PT1H30M", "P1D", "-PT15M"), "rrule": {"FREQ": ["WEEKLY"], "BYDAY": ["MO"],
   "UNTIL": ["2025-12-31T23:00:00+00:00"], ...} (icalendar's vRecur, dates and
   times as ISO strings), "categories": [every CATEGORIES value, in order],
   "status", "priority" (int)}
TODO (one per VTODO): the same keys and "due": TIME.
A property that is absent is null (categories: []). Text comes back
unfolded and unescaped: "a\\, b\\; c\\nd" is "a, b; c" + newline + "d".
last_modified and dtstamp are ISO 8601 with their offset (UTC: +00:00).

TIME: {"value", "kind", "tzid", "utc"}, where kind is one of
  "date"               VALUE=DATE                value "2025-07-10"
  "datetime-utc"       ...T090000Z               value "2025-07-10T09:00:00+00:00"
  "datetime-tzid"      TZID=Europe/Berlin:...    value "2025-07-10T09:00:00+02:00"
  "datetime-floating"  no Z, no TZID             value "2025-07-10T09:00:00"
tzid is the TZID parameter (else null); utc is the instant in UTC for the
two kinds that have one (else null).

Exits 1, with the reasons on standard error, when the document does not
parse: not UTF-8, not one VCALENDAR, a property whose value icalendar could
not read (it would otherwise keep it as broken), or a property that RFC 5545
allows once appearing more than once in an event or to-do.
"""

import datetime
import json
import re
import sys

import icalendar
from icalendar.parser import unescape_backslash

SINGLE = (
    "UID", "SUMMARY", "DESCRIPTION", "URL", "SEQUENCE", "LAST-MODIFIED", "DTSTAMP",
    "DTSTART", "DTEND", "DUE", "DURATION", "STATUS", "PRIORITY", "RRULE",
)  # fmt: skip


class Invalid(Exception):
    pass


def utf8(octets):
    try:
        octets.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def line_facts(data):
    lines = re.split(rb"\r\n|\r|\n", data)
    ends_well = data.endswith(b"\r\n")
    if ends_well:
        lines = lines[:-1]
    bare = re.search(rb"\r(?!\n)|(?<!\r)\n", data) is not None
    return {
        "max_octets": max((len(line) for line in lines), default=0),
        "all_crlf": ends_well and not bare,
        "all_utf8": all(utf8(line) for line in lines),
    }


def iso(value):
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    return value


def text(component, name):
    value = component.get(name)
    return None if value is None else str(value)


def integer(component, name):
    value = component.get(name)
    return None if value is None else int(value)


def moment(component, name):
    prop = component.get(name)
    if prop is None:
        return None
    value = prop.dt
    tzid = prop.params.get("TZID")
    if isinstance(value, datetime.datetime):
        if tzid is not None:
            kind = "datetime-tzid"
        elif value.tzinfo is not None:
            kind = "datetime-utc"
        else:
            kind = "datetime-floating"
        utc = value.astimezone(datetime.timezone.utc).isoformat() if value.tzinfo is not None else None
    elif isinstance(value, datetime.date):
        kind, utc = "date", None
    else:
        raise Invalid(f"{name} is a {type(value).__name__}, not a date or date-time: {prop.to_ical()!r}")
    return {"value": value.isoformat(), "kind": kind, "tzid": None if tzid is None else str(tzid), "utc": utc}


def stamp(component, name):
    prop = component.get(name)
    if prop is None:
        return None
    if not isinstance(prop.dt, datetime.datetime):
        raise Invalid(f"{name} is not a date-time: {prop.to_ical()!r}")
    return prop.dt.isoformat()


def duration(component):
    prop = component.get("DURATION")
    if prop is None:
        return None
    if not isinstance(prop.dt, datetime.timedelta):
        raise Invalid(f"DURATION is not a duration: {prop.to_ical()!r}")
    return icalendar.vDuration(prop.dt).to_ical().decode("ascii")


def rrule(component):
    prop = component.get("RRULE")
    if prop is None:
        return None
    return {str(key): [iso(value) for value in values] for key, values in prop.items()}


def rdate(component):
    """Every RDATE value (dates as YYYY-MM-DD, date-times in UTC), or None."""
    props = component.get("RDATE")
    if props is None:
        return None
    if not isinstance(props, list):
        props = [props]
    values = []
    for prop in props:
        for period in prop.dts:
            value = period.dt
            if isinstance(value, datetime.datetime):
                if value.tzinfo is None:
                    raise Invalid(f"RDATE has a floating time: {prop.to_ical()!r}")
                values.append(value.astimezone(datetime.timezone.utc).isoformat())
            elif isinstance(value, datetime.date):
                values.append(value.isoformat())
            else:
                raise Invalid(f"RDATE holds a {type(value).__name__}: {prop.to_ical()!r}")
    return values


def categories(component):
    props = component.get("CATEGORIES")
    if props is None:
        return []
    if not isinstance(props, list):
        props = [props]
    return [str(category) for prop in props for category in prop.cats]


def item(component):
    where = f"{component.name} {component.get('UID', '(no UID)')}"
    for name in SINGLE:
        if isinstance(component.get(name), list):
            raise Invalid(f"{where}: {name} appears {len(component.get(name))} times")
    try:
        fields = {
            "uid": text(component, "UID"),
            "summary": text(component, "SUMMARY"),
            "description": text(component, "DESCRIPTION"),
            "url": text(component, "URL"),
            "sequence": integer(component, "SEQUENCE"),
            "last_modified": stamp(component, "LAST-MODIFIED"),
            "dtstamp": stamp(component, "DTSTAMP"),
            "dtstart": moment(component, "DTSTART"),
            "dtend": moment(component, "DTEND"),
            "duration": duration(component),
            "rrule": rrule(component),
            "rdate": rdate(component),
            "categories": categories(component),
            "status": text(component, "STATUS"),
            "priority": integer(component, "PRIORITY"),
        }
        if component.name == "VTODO":
            fields["due"] = moment(component, "DUE")
    except Invalid as error:
        raise Invalid(f"{where}: {error}") from None
    return fields


def read(data):
    text_data = data
    if not utf8(data):
        # RFC 5545 §3.1: a fold may split a multi-octet character, and a reader
        # unfolds so as to restore it. Only then are the octets unfolded here.
        text_data = re.sub(rb"\r?\n[ \t]", b"", data)
    try:
        text_data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise Invalid(f"not UTF-8: {error}") from None
    try:
        calendars = icalendar.Calendar.from_ical(text_data, multiple=True)
    except Exception as error:  # icalendar raises ValueError and others
        raise Invalid(f"icalendar could not parse it: {error}") from None
    if len(calendars) != 1 or calendars[0].name != "VCALENDAR":
        raise Invalid(f"expected one VCALENDAR, found {[c.name for c in calendars]}")
    calendar = calendars[0]
    broken = [
        f"{component.name}: {name}: {message}" for component in calendar.walk() for name, message in component.errors
    ]
    if broken:
        raise Invalid("properties icalendar could not read:\n  " + "\n  ".join(broken))
    name = calendar.get("X-WR-CALNAME")
    method = calendar.get("METHOD")
    return {
        "lines": line_facts(data),
        "calendar": {
            "version": text(calendar, "VERSION"),
            "prodid": text(calendar, "PRODID"),
            "method": None if method is None else str(method),
            "name": None if name is None else unescape_backslash(str(name)),
            "timezones": [str(tz.get("TZID")) for tz in calendar.walk("VTIMEZONE")],
        },
        "events": [item(event) for event in calendar.walk("VEVENT")],
        "todos": [item(todo) for todo in calendar.walk("VTODO")],
    }


def main():
    data = sys.stdin.buffer.read()
    try:
        document = read(data)
    except Invalid as error:
        print(f"read_feed.py: not a valid iCalendar document: {error}", file=sys.stderr)
        return 1
    sys.stdout.buffer.write(json.dumps(document, ensure_ascii=False).encode("utf-8") + b"\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
