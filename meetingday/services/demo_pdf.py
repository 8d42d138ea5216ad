"""A one-page PDF of a few lines of text, written here for the demo's documents (no PDF library).

The text keeps its Vietnamese letters when a TrueType font with them is found on this machine
(Liberation Serif or DejaVu on Linux, Times New Roman on Windows and macOS): the font is embedded
whole (a CID font, Identity-H, with a ToUnicode map so the text can be searched and copied).
Without one, the lines are written without diacritics in the standard Helvetica, which every PDF
viewer has.
"""
from __future__ import annotations

import functools
import struct
import unicodedata
import zlib
from dataclasses import dataclass
from pathlib import Path

FONT_PATHS = (
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "C:/Windows/Fonts/times.ttf",
    "/System/Library/Fonts/Supplemental/Times New Roman.ttf",
    "/Library/Fonts/Times New Roman.ttf",
)


def plain(text: str) -> str:
    """Text without diacritics (đ as d), for the standard PDF fonts."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


@dataclass(frozen=True)
class Font:
    name: str
    data: bytes          # the font file
    packed: bytes        # compressed, as embedded
    glyphs: dict         # character -> glyph id
    widths: list         # glyph id -> advance width, in 1/1000 of the size
    bbox: tuple
    ascent: int
    descent: int


def _tables(data: bytes) -> dict[str, bytes]:
    count = struct.unpack(">H", data[4:6])[0]
    tables = {}
    for i in range(count):
        tag, _checksum, offset, length = struct.unpack(">4sIII", data[12 + 16 * i: 28 + 16 * i])
        tables[tag.decode("latin-1")] = data[offset: offset + length]
    return tables


def _cmap(table: bytes) -> dict[int, int]:
    """The Unicode cmap: code point -> glyph id (formats 12 and 4, Windows Unicode)."""
    count = struct.unpack(">H", table[2:4])[0]
    records = {}
    for i in range(count):
        platform, encoding, offset = struct.unpack(">HHI", table[4 + 8 * i: 12 + 8 * i])
        records[(platform, encoding)] = offset
    mapping: dict[int, int] = {}
    if (3, 10) in records and struct.unpack(">H", table[records[(3, 10)]:][:2])[0] == 12:
        sub = table[records[(3, 10)]:]
        groups = struct.unpack(">I", sub[12:16])[0]
        for g in range(groups):
            start, end, glyph = struct.unpack(">III", sub[16 + 12 * g: 28 + 12 * g])
            if start <= 0x1FFFF:
                for code in range(start, min(end, 0x1FFFF) + 1):
                    mapping[code] = glyph + code - start
        return mapping
    sub = table[records[(3, 1)]:]
    segments = struct.unpack(">H", sub[6:8])[0] // 2
    ends = struct.unpack(f">{segments}H", sub[14: 14 + 2 * segments])
    base = 16 + 2 * segments
    starts = struct.unpack(f">{segments}H", sub[base: base + 2 * segments])
    deltas = struct.unpack(f">{segments}h", sub[base + 2 * segments: base + 4 * segments])
    ranges_at = base + 4 * segments
    ranges = struct.unpack(f">{segments}H", sub[ranges_at: ranges_at + 2 * segments])
    for i, (start, end, delta, rng) in enumerate(zip(starts, ends, deltas, ranges)):
        for code in range(start, end + 1):
            if code == 0xFFFF:
                continue
            if rng == 0:
                glyph = (code + delta) & 0xFFFF
            else:
                at = ranges_at + 2 * i + rng + 2 * (code - start)
                glyph = struct.unpack(">H", sub[at: at + 2])[0]
                glyph = (glyph + delta) & 0xFFFF if glyph else 0
            if glyph:
                mapping[code] = glyph
    return mapping


def read_font(path: Path) -> Font:
    data = path.read_bytes()
    tables = _tables(data)
    units = struct.unpack(">H", tables["head"][18:20])[0]
    scale = 1000 / units
    bbox = tuple(round(v * scale) for v in struct.unpack(">4h", tables["head"][36:44]))
    ascent, descent = (round(v * scale) for v in struct.unpack(">hh", tables["hhea"][4:8]))
    metrics = struct.unpack(">H", tables["hhea"][34:36])[0]
    advances = [struct.unpack(">H", tables["hmtx"][4 * i: 4 * i + 2])[0] for i in range(metrics)]
    glyphs = {chr(code): glyph for code, glyph in _cmap(tables["cmap"]).items()}
    widths = [round(w * scale) for w in advances]
    return Font(path.stem.replace(" ", ""), data, zlib.compress(data, 6), glyphs, widths, bbox, ascent, descent)


@functools.lru_cache(maxsize=1)
def system_font() -> Font | None:
    """The first font of FONT_PATHS found that has every Vietnamese letter, or None."""
    for candidate in FONT_PATHS:
        path = Path(candidate)
        if not path.is_file():
            continue
        try:
            font = read_font(path)
        except (OSError, struct.error, KeyError, IndexError, ValueError):
            continue
        if all(c in font.glyphs for c in "ăâđêôơưẠạẮắỆệỮữỳỹĐ"):
            return font
    return None


def _stream(body: bytes, extra: str = "") -> bytes:
    return b"<< /Length %d%s >>\nstream\n" % (len(body), extra.encode()) + body + b"\nendstream"


def _to_unicode(used: dict[int, str]) -> bytes:
    lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
             "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
             "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange"]
    pairs = sorted(used.items())
    for at in range(0, len(pairs), 100):
        chunk = pairs[at: at + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines += [f"<{glyph:04X}> <{''.join(f'{u:04X}' for u in _units(c))}>" for glyph, c in chunk]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode()


def _units(c: str) -> list[int]:
    raw = c.encode("utf-16-be")
    return [int.from_bytes(raw[i: i + 2], "big") for i in range(0, len(raw), 2)]


def _font_objects(font: Font, used: dict[int, str]) -> list[bytes]:
    """Objects 5 to 9: the Type0 font, its CID font, descriptor, font file and ToUnicode."""
    widths = " ".join(f"{g} [{font.widths[min(g, len(font.widths) - 1)]}]" for g in sorted(used))
    name = "/" + "".join(c for c in font.name if c.isalnum())
    return [
        f"<< /Type /Font /Subtype /Type0 /BaseFont {name} /Encoding /Identity-H /DescendantFonts [6 0 R] "
        f"/ToUnicode 9 0 R >>".encode(),
        f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont {name} /CIDSystemInfo << /Registry (Adobe) "
        f"/Ordering (Identity) /Supplement 0 >> /FontDescriptor 7 0 R /CIDToGIDMap /Identity /DW 500 "
        f"/W [{widths}] >>".encode(),
        f"<< /Type /FontDescriptor /FontName {name} /Flags 34 /FontBBox [{' '.join(map(str, font.bbox))}] "
        f"/ItalicAngle 0 /Ascent {font.ascent} /Descent {font.descent} /CapHeight {font.ascent} /StemV 80 "
        f"/FontFile2 8 0 R >>".encode(),
        _stream(font.packed, f" /Length1 {len(font.data)} /Filter /FlateDecode"),
        _stream(_to_unicode(used)),
    ]


def pdf_bytes(lines: list[str], embed: bool = True) -> bytes:
    """A one-page A4 PDF of these lines (the second and third larger, as a title), in the
    system's font (see the module's docstring), or with `embed` false in Helvetica."""
    font = system_font() if embed else None
    used: dict[int, str] = {}
    ops = ["BT", "16 TL", "72 770 Td"]
    for n, line in enumerate(lines):
        ops.append(f"/F1 {14 if n in (1, 2) else 12} Tf")
        text = unicodedata.normalize("NFC", line)
        if font is not None and all(c in font.glyphs for c in text):
            codes = []
            for c in text:
                used[font.glyphs[c]] = c
                codes.append(f"{font.glyphs[c]:04X}")
            ops.append(f"<{''.join(codes)}> Tj T*")
        else:
            escaped = plain(text).encode("latin-1", "replace").decode("latin-1")
            escaped = escaped.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"({escaped}) Tj T*")
    ops.append("ET")
    content = "\n".join(ops).encode("latin-1")
    if font is not None and used:
        fonts = _font_objects(font, used)
    else:
        fonts = [b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        _stream(content),
        *fonts,
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
