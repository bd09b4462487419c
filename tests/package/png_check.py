#!/usr/bin/env python3
"""png_check.py FILE MIN_WIDTH MIN_COLOURS: FILE is a PNG of at least MIN_WIDTH px with more
than MIN_COLOURS distinct colours, spread over at least 6 of 8 horizontal bands: a real
rendering of the window, not a blank or a single-colour surface. Pure Python (zlib), so the
package test needs no image tools."""
import struct, sys, zlib

path, min_width, min_colours = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
data = open(path, "rb").read()
if data[:8] != b"\x89PNG\r\n\x1a\n":
    sys.exit(f"{path}: not a PNG")
width, height, depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", data[16:29])
channels = {2: 3, 6: 4}.get(colour_type)
if depth != 8 or channels is None or interlace:
    sys.exit(f"{path}: unsupported PNG (depth {depth}, colour type {colour_type}, interlace {interlace})")
idat, i = b"", 8
while i < len(data):
    length, kind = struct.unpack(">I4s", data[i:i + 8])
    if kind == b"IDAT":
        idat += data[i + 8:i + 8 + length]
    i += 12 + length
raw = zlib.decompress(idat)
stride = width * channels
prev = bytearray(stride)
colours, bands = set(), [set() for _ in range(8)]
pos = 0
for y in range(height):
    kind, line = raw[pos], bytearray(raw[pos + 1:pos + 1 + stride])
    pos += 1 + stride
    for x in range(stride):
        a = line[x - channels] if x >= channels else 0
        b = prev[x]
        c = prev[x - channels] if x >= channels else 0
        if kind == 1:
            line[x] = (line[x] + a) & 255
        elif kind == 2:
            line[x] = (line[x] + b) & 255
        elif kind == 3:
            line[x] = (line[x] + (a + b) // 2) & 255
        elif kind == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    if y % 4 == 0:  # every 4th row is plenty
        row = {bytes(line[x:x + channels]) for x in range(0, stride, channels)}
        colours |= row
        bands[y * 8 // height] |= row
    prev = line
busy = sum(1 for band in bands if len(band) > 1)
print(f"{path}: {width}x{height}, {len(colours)} colours, {busy}/8 bands with detail")
if width < min_width or len(colours) <= min_colours or busy < 6:
    sys.exit(f"{path}: not a real rendering")
