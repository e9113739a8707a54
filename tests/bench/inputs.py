#!/usr/bin/env python3
"""Inputs for the benchmark (tests/bench/run.sh): the long article, the batch, and the peers'
versions of a brief.

usage:
  inputs.py long   SOURCE.md OUT.md N     the body repeated N times, each copy under "## Section k"
  inputs.py batch  SOURCE.md DIR N        N briefs DIR/brief-001.md ... (titles numbered)
  inputs.py pandoc SOURCE.md OUT.md       Markdown for pandoc: its own metadata keys, the photo
                                          as a figure, then the body unchanged
  inputs.py photo  SOURCE.md DIR          copy the photo the brief names into DIR
  inputs.py pngphoto SOURCE.md OUT.md     the brief with its photo as a PNG (photo.png beside
                                          OUT, converted with Pillow)
  inputs.py charts SOURCE.md OUT.md       the brief with three PNG bar charts (1600 x 1000: RGB,
                                          palette, RGBA on a transparent ground) as figures in
                                          the body, its JPEG photo kept
  inputs.py plain  SOURCE.md OUT.md       the brief without its photo (what `charts` costs more)
  inputs.py typst  SOURCE.md OUT.typ      a Typst document on briefpress's page (A4, margins
                                          25 / 30 mm, Noto Serif 11 pt on 15.4 pt, justified and
                                          hyphenated, Noto Sans headings, the photo with caption
                                          and credit, running header and folio)

SOURCE is a briefpress Markdown brief (YAML front matter, CommonMark body); the photo it names
is expected beside every output (run.sh copies it). Only the subset of Markdown the benchmark
articles use is understood: headings, paragraphs, lists, quotes, footnotes, emphasis, links,
code. In the Typst document every piece of text goes in as a Typst string, so nothing in the
brief is read as Typst markup (the judges' typst-peer sets briefs the same way).
"""
import os
import re
import shutil
import sys


# --- the source ---------------------------------------------------------------------------

def split_source(text):
    """(front matter lines, body) of a Markdown brief."""
    m = re.match(r"---\n(.*?)\n---\n", text, re.S)
    if not m:
        return [], text
    return m.group(1).splitlines(), text[m.end():]


def scalar(lines, key):
    """A top-level `key: value` of the front matter, unquoted ('' if absent)."""
    for line in lines:
        m = re.match(r"%s:\s*(.*)$" % re.escape(key), line)
        if m:
            return unquote(m.group(1))
    return ""


def nested(lines, parent, key):
    """`key` inside the `parent:` mapping (or the first item of a `parent:` list)."""
    inside = False
    for line in lines:
        if re.match(r"%s:\s*$" % re.escape(parent), line):
            inside = True
            continue
        if inside:
            if line and not line[0].isspace():
                break
            m = re.match(r"\s*(?:-\s*)?%s:\s*(.*)$" % re.escape(key), line)
            if m:
                return unquote(m.group(1))
    return ""


def unquote(v):
    v = v.strip()
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'":
        return v[1:-1]
    return v


def read(path):
    with open(path, encoding="utf-8-sig") as f:
        return f.read().replace("\r\n", "\n")


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


# --- long article and batch ---------------------------------------------------------------

def long_article(src, out, n):
    text = read(src)
    m = re.match(r"---\n.*?\n---\n", text, re.S)
    head, body = (text[: m.end()], text[m.end():]) if m else ("", text)
    # Footnote definitions must stay unique: number their ids per copy.
    parts = []
    for k in range(1, n + 1):
        copy = re.sub(r"\[\^([^\]]+)\]", lambda mm: "[^%s-%d]" % (mm.group(1), k), body)
        parts.append("## Section %d\n\n%s" % (k, copy.strip("\n")))
    write(out, head + "\n" + "\n\n".join(parts) + "\n")


def batch(src, out_dir, n):
    text = read(src)
    os.makedirs(out_dir, exist_ok=True)
    for k in range(1, n + 1):
        # A numbered title makes every brief a different document (distinct ids and bytes).
        numbered = re.sub(r'(?m)^title:\s*"?(.*?)"?\s*$',
                          lambda mm: 'title: "Brief %d: %s"' % (k, mm.group(1).replace('"', '\\"')),
                          text, count=1)
        write(os.path.join(out_dir, "brief-%03d.md" % k), numbered)
    copy_photo(src, out_dir)


def copy_photo(src, out_dir):
    meta, _ = split_source(read(src))
    photo = nested(meta, "photo", "path")
    if photo:
        target = os.path.join(out_dir, photo)
        if not os.path.exists(target):
            shutil.copyfile(os.path.join(os.path.dirname(src) or ".", photo), target)


# --- image cases --------------------------------------------------------------------------

def front_without_photo(meta_lines):
    """The front matter lines without the `photo:` mapping."""
    out, skipping = [], False
    for line in meta_lines:
        if re.match(r"photo:", line):
            skipping = True
            continue
        if skipping and line[:1].isspace():
            continue
        skipping = False
        out.append(line)
    return out


def png_photo(src, out):
    from PIL import Image  # Pillow: only this case converts a JPEG

    text = read(src)
    meta, _ = split_source(text)
    photo = nested(meta, "photo", "path")
    folder = os.path.dirname(out) or "."
    Image.open(os.path.join(os.path.dirname(src) or ".", photo)).convert("RGB").save(
        os.path.join(folder, "photo.png"), optimize=True)
    write(out, text.replace("path: " + photo, "path: photo.png", 1))


def png_file(path, width, height, colour_type, rows, palette=None):
    """A PNG of `rows` (bytes per row, unfiltered), written with zlib alone."""
    import struct
    import zlib

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    raw = b"".join(b"\0" + r for r in rows)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8,
                                                                   colour_type, 0, 0, 0))
    if palette:
        data += chunk(b"PLTE", bytes(palette))
    data += chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(data)


def bar_chart(path, kind, values):
    """A 1600 x 1000 bar chart: `kind` "rgb" (white ground), "palette" or "rgba" (transparent
    ground, half-transparent grid lines)."""
    w, h = 1600, 1000
    bars = [(120 + i * (w - 240) // len(values), int(v * (h - 200))) for i, v in enumerate(values)]
    bar_w = (w - 240) // len(values) - 40
    colours = [(31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189)]
    palette = [255, 255, 255, 60, 60, 60, 200, 200, 200] + [c for rgb in colours for c in rgb]

    def pixel(index):
        if kind == "palette":
            return bytes([index])
        rgb = palette[index * 3:index * 3 + 3]
        if kind == "rgb":
            return bytes(rgb)
        alpha = {0: 0, 2: 128}.get(index, 255)
        return bytes(rgb + [alpha])

    rows = []
    for y in range(h):
        ground = 2 if (y - 100) % 160 == 0 and 100 <= y <= h - 100 else 0
        runs = [(0, ground)]
        if y == h - 100:
            runs = [(0, 1)]
        else:
            for k, (x, bar_h) in enumerate(bars):
                if h - 100 - bar_h <= y < h - 100:
                    runs += [(x, 3 + k % len(colours)), (x + bar_w, ground)]
        row = bytearray()
        for (x, index), nxt in zip(runs, runs[1:] + [(w, None)]):
            row += pixel(index) * (nxt[0] - x)
        rows.append(bytes(row))
    colour_type = {"rgb": 2, "palette": 3, "rgba": 6}[kind]
    png_file(path, w, h, colour_type, rows, palette if kind == "palette" else None)


def charts(src, out):
    meta, body = split_source(read(src))
    text = read(src)
    head = text[: len(text) - len(body)]
    folder = os.path.dirname(out) or "."
    specs = [("chart-rgb.png", "rgb", [0.4, 0.7, 0.55, 0.9, 0.3]),
             ("chart-palette.png", "palette", [0.8, 0.6, 0.35, 0.5, 0.65, 0.2]),
             ("chart-alpha.png", "rgba", [0.25, 0.45, 0.85, 0.6])]
    paragraphs = re.split(r"\n[ \t]*\n", body.strip("\n"))
    for k, (name, kind, values) in enumerate(specs):
        bar_chart(os.path.join(folder, name), kind, values)
        figure = '![Chart %d](%s "Chart %d: values by year. Source: The Example Council")' % (
            k + 1, name, k + 1)
        at = min(len(paragraphs), 2 + 3 * k + k)
        paragraphs.insert(at, figure)
    write(out, head + "\n".join(["", "\n\n".join(paragraphs), ""]))
    copy_photo(src, folder)


def without_photo(src, out):
    meta, body = split_source(read(src))
    write(out, "---\n" + "\n".join(front_without_photo(meta)) + "\n---\n" + body)


# --- pandoc -------------------------------------------------------------------------------

def yaml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def pandoc_md(src, out):
    meta, body = split_source(read(src))
    head = ["---", "title: " + yaml_str(scalar(meta, "title"))]
    author = nested(meta, "authors", "name") or scalar(meta, "author")
    if author:
        head.append("author: " + yaml_str(author))
    for key, pkey in (("date", "date"), ("language", "lang"), ("rights", "rights")):
        v = scalar(meta, key)
        if v:
            head.append("%s: %s" % (pkey, yaml_str(v)))
    head.append("---")
    fig = ""
    photo = nested(meta, "photo", "path")
    if photo:
        caption = nested(meta, "photo", "caption")
        credit = nested(meta, "photo", "credit")
        alt = nested(meta, "photo", "alt")
        # A lone image with a caption is a figure in both the DOCX and the EPUB writer.
        cap = (caption + (" (Credit: %s)" % credit if credit else "")).replace("]", "\\]")
        fig = "![%s](%s){alt=%s}\n\n" % (cap, photo, yaml_str(alt or caption))
    write(out, "\n".join(head) + "\n\n" + fig + body.lstrip("\n"))


# --- Typst --------------------------------------------------------------------------------

def ts(s):
    """A Typst string literal."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def plain(s):
    """Inline Markdown to plain text: links keep their text; emphasis and code marks go."""
    s = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", s)
    s = re.sub(r"(\*\*|__)(.+?)\1", r"\2", s)
    s = re.sub(r"(?<![\w*])[*_](?!\s)(.+?)(?<!\s)[*_](?![\w*])", r"\1", s)
    s = re.sub(r"`([^`]*)`", r"\1", s)
    for ent, ch in (("&nbsp;", "\u00a0"), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'),
                    ("&amp;", "&")):
        s = s.replace(ent, ch)
    return " ".join(s.split())


def content(s, notes):
    """Typst code for a run of text: strings, footnote references as #footnote(...)."""
    out = []
    for k, part in enumerate(re.split(r"\[\^([^\]]+)\]", s)):
        if k % 2:
            out.append("#footnote(%s)" % ts(plain(notes.get(part, part))))
        elif part:
            out.append("#" + ts(plain(part)))
    return "".join(out) or '#""'


def blocks_of(body):
    notes = {}
    for m in re.finditer(r"(?m)^\[\^([^\]]+)\]:\s*(.+)$", body):
        notes[m.group(1)] = m.group(2)
    body = re.sub(r"(?m)^\[\^[^\]]+\]:.*$", "", body)
    blocks = []
    for raw in re.split(r"\n[ \t]*\n", body):
        lines = [l for l in raw.splitlines() if l.strip()]
        if not lines:
            continue
        h = re.match(r"(#{1,6})\s+(.*)", lines[0])
        if h and len(lines) == 1:
            blocks.append(("heading", len(h.group(1)), h.group(2)))
        elif all(re.match(r"\s*(?:[-*+]|\d+[.)])\s+", l) or l.startswith("  ") for l in lines):
            items = []
            for l in lines:
                m = re.match(r"(\s*)(?:[-*+]|(\d+)[.)])\s+(.*)", l)
                if m:
                    items.append([len(m.group(1)) // 2, bool(m.group(2)), m.group(3)])
                elif items:
                    items[-1][2] += " " + l.strip()
            blocks.append(("list", items))
        elif len(lines) == 1 and re.match(r'!\[[^\]]*\]\([^)]*\)$', lines[0].strip()):
            m = re.match(r'!\[([^\]]*)\]\((\S+)(?:\s+"([^"]*)")?\)', lines[0].strip())
            blocks.append(("figure", m.group(2), m.group(1), m.group(3) or ""))
        elif all(l.startswith(">") for l in lines):
            blocks.append(("quote", " ".join(re.sub(r"^>\s?", "", l) for l in lines)))
        else:
            blocks.append(("para", " ".join(l.strip() for l in lines)))
    return blocks, notes


def typst_doc(src, out):
    meta, body = split_source(read(src))
    lang = (scalar(meta, "language") or "en").split("-")[0]
    title = plain(scalar(meta, "title"))
    # briefpress's default theme (src/theme.rs): A4, 25 mm top/bottom, 30 mm sides, 11 pt on
    # 15.4 pt. Typst's leading is the gap from one line's bottom edge (baseline) to the next
    # line's top edge (cap height, 0.714 em in Noto Serif): 15.4 pt - 0.714 x 11 pt = 7.55 pt.
    t = [
        '#set page(paper: "a4", margin: (top: 25mm, bottom: 25mm, left: 30mm, right: 30mm),',
        '  header: context { if here().page() > 1 { set text(font: "Noto Sans", size: 8pt); %s } },'
        % ts(title),
        '  numbering: "1")',
        '#set text(font: "Noto Serif", size: 11pt, lang: %s, hyphenate: true)' % ts(lang),
        # Paragraph gap: leading plus about half a line, as briefpress's PDF shows.
        "#set par(justify: true, leading: 7.55pt, spacing: 13.2pt)",
        '#show heading: set text(font: "Noto Sans")',
        '#block(text(font: "Noto Sans", size: 8pt, weight: "bold", "briefpress"))',
        '#block(text(font: "Noto Sans", size: 20pt, weight: "bold", %s))' % ts(title),
    ]
    author = nested(meta, "authors", "name") or scalar(meta, "author")
    byline = ", ".join(x for x in (author, nested(meta, "authors", "affiliation"),
                                   scalar(meta, "date")) if x)
    if byline:
        t.append('#block(text(font: "Noto Sans", size: 9pt, %s))' % ts(byline))
    photo = nested(meta, "photo", "path")
    if photo:
        caption = plain(nested(meta, "photo", "caption"))
        credit = plain(nested(meta, "photo", "credit"))
        t.append("#figure(image(%s, width: 100%%, alt: %s), caption: text(font: \"Noto Sans\", "
                 "size: 8.5pt, %s))" % (ts(photo), ts(plain(nested(meta, "photo", "alt"))),
                                         ts(caption + ("  " + credit if credit else ""))))
    t.append("")
    blocks, notes = blocks_of(body)
    for b in blocks:
        if b[0] == "heading":
            t.append("#heading(level: %d, %s)" % (max(1, b[1] - 1), ts(plain(b[2]))))
        elif b[0] == "para":
            t.append(content(b[1], notes))
        elif b[0] == "figure":
            t.append("#figure(image(%s, width: 100%%, alt: %s), caption: text(font: \"Noto Sans\", "
                     "size: 8.5pt, %s))" % (ts(b[1]), ts(b[2]), ts(plain(b[3]))))
        elif b[0] == "quote":
            t.append("#quote(block: true)[%s]" % content(b[1], notes))
        elif b[0] == "list":
            for depth, numbered, item in b[1]:
                t.append("%s%s %s" % ("  " * depth, "+" if numbered else "-", content(item, notes)))
        t.append("")
    write(out, "\n".join(t))
    copy_photo(src, os.path.dirname(out) or ".")


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    cmd, src, out = argv[1], argv[2], argv[3]
    if cmd == "long" and len(argv) == 5:
        long_article(src, out, int(argv[4]))
    elif cmd == "batch" and len(argv) == 5:
        batch(src, out, int(argv[4]))
    elif cmd == "photo":
        copy_photo(src, out)
    elif cmd == "pngphoto":
        png_photo(src, out)
    elif cmd == "charts":
        charts(src, out)
    elif cmd == "plain":
        without_photo(src, out)
    elif cmd == "pandoc":
        pandoc_md(src, out)
        copy_photo(src, os.path.dirname(out) or ".")
    elif cmd == "typst":
        typst_doc(src, out)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
