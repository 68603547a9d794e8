#!/usr/bin/env python3
"""Subsets the fonts the PDF writer embeds to the characters a report needs.

Run once, from this folder, after unpacking Debian's font packages (see
README.md for the exact commands):

    python3 subset.py SOURCE_ROOT UNIHAN_DIR

SOURCE_ROOT is the folder the packages were unpacked into (it holds
usr/share/fonts/...); UNIHAN_DIR holds Debian's unicode-data files
(Unihan_*.txt.bz2), from which the characters of 《通用规范汉字表》 are taken
(the Unihan field kTGH gives each character's number in the table; numbers
1-3500 are level 1).

The character set is the same for every font:

* ASCII, Latin-1 punctuation, general punctuation, CJK symbols and
  punctuation, full-width forms;
* every character of GB 2312 (the 6,763 hanzi and the symbols);
* every character of 《通用规范汉字表》 (2013) whose level is at most LEVEL
  (level 1: 3,500 characters, nearly all in GB 2312 already);
* every character of the template's labels (crates/template/src/*.rs).

A character a font does not have is simply not in its subset; the writer
falls back to another font at run time.
"""

import bz2
import glob
import os
import re
import sys

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

# Characters of 《通用规范汉字表》 up to this level are kept (1, 2 or 3).
LEVEL = 1

# (output file, source file under SOURCE_ROOT, face name in a collection)
FONTS = [
    (
        "NotoSerifCJKsc-Regular.otf",
        "usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
        "Noto Serif CJK SC",
    ),
    (
        "NotoSerifCJKsc-Bold.otf",
        "usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
        "Noto Serif CJK SC Bold",
    ),
    (
        "NotoSansCJKsc-Regular.otf",
        "usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "Noto Sans CJK SC",
    ),
    (
        "LXGWWenKai-Regular.ttf",
        "usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf",
        None,
    ),
]

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATE_SOURCES = os.path.join(HERE, "..", "..", "template", "src", "*.rs")


def gb2312():
    """Every character of GB 2312, decoded row by row."""
    chars = set()
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.add(bytes([row, cell]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def tonggui(unihan_dir, level):
    """The characters of 《通用规范汉字表》 up to a level, from Unihan's kTGH."""
    limit = {1: 3500, 2: 6500, 3: 8105}[level]
    chars = set()
    for path in glob.glob(os.path.join(unihan_dir, "Unihan_*.txt.bz2")):
        with bz2.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) == 3 and parts[1] == "kTGH":
                    number = int(parts[2].split(":")[1])
                    if number <= limit:
                        chars.add(chr(int(parts[0][2:], 16)))
    if len(chars) != limit:
        sys.exit(f"expected {limit} characters of the table in {unihan_dir}, found {len(chars)}")
    return chars


def template_chars():
    chars = set()
    for path in glob.glob(TEMPLATE_SOURCES):
        with open(path, encoding="utf-8") as f:
            chars.update(c for c in f.read() if ord(c) > 0x7F)
    return chars


def charset(unihan_dir):
    chars = set(chr(c) for c in range(0x20, 0x7F))
    for lo, hi in [
        (0x00A0, 0x00FF),  # Latin-1 (·, ×, ÷, §, °)
        (0x2010, 0x205F),  # general punctuation (— ‘ ’ “ ” … ‰)
        (0x2100, 0x215F),  # letterlike (℃, №), number forms
        (0x2160, 0x217F),  # Roman numerals
        (0x2460, 0x24FF),  # enclosed numbers ①
        (0x3000, 0x303F),  # CJK symbols and punctuation
        (0x3200, 0x32FF),  # enclosed CJK (㈠)
        (0xFE30, 0xFE4F),  # CJK compatibility forms
        (0xFF00, 0xFFEF),  # full-width forms
    ]:
        chars.update(chr(c) for c in range(lo, hi + 1))
    chars |= gb2312()
    chars |= tonggui(unihan_dir, LEVEL)
    chars |= template_chars()
    return chars


def load(source, face):
    if face is None:
        return TTFont(source)
    collection = TTCollection(source)
    for font in collection.fonts:
        if font["name"].getDebugName(4) == face:
            return font
    sys.exit(f"no face {face!r} in {source}")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    root, unihan_dir = sys.argv[1], sys.argv[2]
    chars = charset(unihan_dir)
    print(f"{len(chars)} characters")
    options = subset.Options()
    # Only the glyphs are needed: no OpenType layout, no hinting, no
    # vertical metrics; names and metrics stay.
    options.layout_features = []
    options.hinting = False
    options.drop_tables += ["vhea", "vmtx", "VORG", "DSIG", "BASE", "GDEF", "GPOS", "GSUB"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    for out, source, face in FONTS:
        font = load(os.path.join(root, source), face)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=[ord(c) for c in chars])
        subsetter.subset(font)
        path = os.path.join(HERE, out)
        font.save(path)
        print(f"{out}: {os.path.getsize(path):,} bytes")


if __name__ == "__main__":
    main()
