#!/usr/bin/env python3
"""Writes a dashcam drive along a real street as NMEA 0183 or GPX, for tests and gpsfake.

The streets are hand-written polylines of public roads (approximate, to a few metres), the
same as Tests/MappingTests/DriveFixture.swift uses:
  market    Market Street, San Francisco: Ferry Building to Van Ness Avenue (about 3 km)
  valencia  Valencia Street, San Francisco: Market Street to 24th Street (about 2 km)

usage: drive-fixture.py STREET nmea|gpx SPEED_MPS START_UNIX_S [--teleport] > drive.nmea
A fix a second. --teleport moves the second half of the drive 4 km east (a faked track).
"""
import datetime
import functools
import math
import sys

STREETS = {
    "market": [(37.79456, -122.39467), (37.79110, -122.39900), (37.78907, -122.40166), (37.78700, -122.40440),
               (37.78489, -122.40734), (37.78230, -122.41060), (37.77980, -122.41370), (37.77786, -122.41584),
               (37.77516, -122.41940)],
    "valencia": [(37.77180, -122.42300), (37.76900, -122.42220), (37.76500, -122.42190), (37.76100, -122.42150),
                 (37.75700, -122.42110), (37.75230, -122.42070)],
}


def metres(a, b):
    r = 6371007.180918475
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dp, dl = p2 - p1, math.radians(b[1] - a[1])
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(h))


def points(road, speed):
    legs = [(a, b, metres(a, b)) for a, b in zip(road, road[1:])]
    total = sum(leg[2] for leg in legs)
    second = 0
    while second * speed <= total:
        left = second * speed
        for a, b, length in legs:
            if left <= length:
                t = left / length if length else 0
                yield (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
                break
            left -= length
        second += 1


def checksum(body):
    return "%02X" % functools.reduce(lambda x, c: x ^ ord(c), body, 0)


def angle(value, width, positive, negative):
    magnitude = abs(value)
    degrees = int(magnitude)
    return "%0*d%07.4f,%s" % (width, degrees, (magnitude - degrees) * 60, positive if value >= 0 else negative)


def main():
    street, form, speed, start = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
    teleport = "--teleport" in sys.argv
    fixes = list(points(STREETS[street], speed))
    if teleport:
        fixes = [(lat, lng + (0.045 if i >= len(fixes) // 2 else 0)) for i, (lat, lng) in enumerate(fixes)]
    out = sys.stdout
    if form == "gpx":
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="depin drive-fixture" '
                  'xmlns="http://www.topografix.com/GPX/1/1"><trk><name>%s</name><trkseg>\n' % street)
    for i, (lat, lng) in enumerate(fixes):
        when = datetime.datetime.fromtimestamp(start + i, tz=datetime.timezone.utc)
        if form == "gpx":
            out.write('<trkpt lat="%.7f" lon="%.7f"><time>%s</time><fix>3d</fix><sat>9</sat><hdop>0.9</hdop>'
                      '<extensions><speed>%.2f</speed></extensions></trkpt>\n'
                      % (lat, lng, when.strftime("%Y-%m-%dT%H:%M:%SZ"), speed))
            continue
        time = when.strftime("%H%M%S.00")
        day = when.strftime("%d%m%y")
        position = angle(lat, 2, "N", "S") + "," + angle(lng, 3, "E", "W")
        for body in ("GPRMC,%s,A,%s,%.2f,225.0,%s,,,A" % (time, position, speed * 3600 / 1852, day),
                     "GPGGA,%s,%s,1,09,0.9,16.0,M,-29.0,M,," % (time, position),
                     "GPGSA,A,3,05,07,09,13,15,20,21,30,,,,,1.6,0.9,1.3",
                     # Satellites in view (PRN, elevation, azimuth, SNR), four to a sentence.
                     "GPGSV,3,1,09,05,40,083,46,07,61,158,44,09,32,251,41,13,20,307,38",
                     "GPGSV,3,2,09,15,55,047,45,20,27,120,40,21,48,205,43,30,15,330,36",
                     "GPGSV,3,3,09,02,05,010,22"):
            out.write("$%s*%s\r\n" % (body, checksum(body)))
    if form == "gpx":
        out.write("</trkseg></trk></gpx>\n")


if __name__ == "__main__":
    main()
