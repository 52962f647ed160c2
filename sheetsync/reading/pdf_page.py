"""One PDF page -> its ruled tables and the text lines around them.

The ruling lines (stroked segments, and rectangles thin enough to be lines) are joined into
connected lattices; each lattice is a table whose columns and rows are the distinct x and y
of its lines, and neighbouring cells with no line between them are one merged cell. The
characters of the text layer are grouped into runs (glyphs on one baseline, side by side);
a run belongs to the cell its first glyph is in, so text that spills over an empty
neighbour, or is clipped by a full one, stays in the cell it was typed in.

Coordinates are the page as shown: origin top left, y down, the page's /Rotate applied.
"""

from __future__ import annotations

import ctypes
from bisect import bisect_right
from dataclasses import dataclass, field

import pypdfium2.raw as pdfium_c

from .pdf_stitch import TOL

THIN = 3.0  # a filled rectangle thinner than this is a ruling line


@dataclass
class Run:
    """Glyphs side by side on one baseline."""

    x0: float
    x1: float
    top: float
    bottom: float
    chars: list[str] = field(default_factory=list)

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1.0)

    @property
    def text(self) -> str:
        return "".join(self.chars).strip()


@dataclass(eq=False)
class Table:
    """A lattice: column and row edges, merged regions (r1, c1, r2, c2) and their runs."""

    xs: list[float]
    ys: list[float]
    regions: list[tuple[int, int, int, int]]
    region_of: dict[tuple[int, int], int]
    runs: dict[int, list[Run]] = field(default_factory=dict)
    open_bottom: set[int] = field(default_factory=set)  # columns with no line under the last row

    @property
    def box(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def contains(self, x: float, y: float) -> bool:
        x0, y0, x1, y1 = self.box
        return x0 - TOL <= x <= x1 + TOL and y0 - TOL <= y <= y1 + TOL

    def cell(self, x: float, y: float) -> tuple[int, int]:
        c = min(max(bisect_right(self.xs, x) - 1, 0), len(self.xs) - 2)
        r = min(max(bisect_right(self.ys, y) - 1, 0), len(self.ys) - 2)
        return r, c


@dataclass
class Page:
    """What one page holds: its tables top to bottom, the runs outside them, and whether the
    page has any text or images at all (a scan has images and no text)."""

    tables: list[Table]
    outside: list[Run]
    chars: int
    images: int
    width: float
    height: float


class _View:
    """PDF user space -> the page as shown (y down, rotation applied)."""

    def __init__(self, page) -> None:
        box = (ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float())
        if not pdfium_c.FPDFPage_GetMediaBox(page, *map(ctypes.byref, box)):
            box = (ctypes.c_float(0), ctypes.c_float(0), ctypes.c_float(0), ctypes.c_float(0))
        self.x0, self.y0, self.x1, self.y1 = (v.value for v in box)
        if self.x1 <= self.x0 or self.y1 <= self.y0:
            self.x0, self.y0 = 0.0, 0.0
            self.x1, self.y1 = pdfium_c.FPDF_GetPageWidthF(page), pdfium_c.FPDF_GetPageHeightF(page)
        self.rotation = pdfium_c.FPDFPage_GetRotation(page) % 4
        w, h = self.x1 - self.x0, self.y1 - self.y0
        self.width, self.height = (h, w) if self.rotation % 2 else (w, h)

    def point(self, x: float, y: float) -> tuple[float, float]:
        x, y = x - self.x0, y - self.y0
        w, h = self.x1 - self.x0, self.y1 - self.y0
        if self.rotation == 1:
            return y, x
        if self.rotation == 2:
            return w - x, y
        if self.rotation == 3:
            return h - y, w - x
        return x, h - y

    def box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        (ax, ay), (bx, by) = self.point(left, bottom), self.point(right, top)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


# ---------------------------------------------------------------- ruling lines


def _matrix(obj) -> tuple[float, ...]:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner: tuple[float, ...], outer: tuple[float, ...]) -> tuple[float, ...]:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _path_segments(obj, m: tuple[float, ...], view: _View, hs: list, vs: list) -> None:
    """Axis-parallel pieces of one path object, as horizontal (y, x0, x1) and vertical
    (x, y0, y1) lines in page view coordinates."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke))
    if not fill.value and not stroke.value:
        return  # a clipping path or an invisible one
    px, py = ctypes.c_float(), ctypes.c_float()
    a, b, c, d, e, f = m
    points: list[tuple[float, float, int, bool]] = []
    for k in range(pdfium_c.FPDFPath_CountSegments(obj)):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, k)
        pdfium_c.FPDFPathSegment_GetPoint(seg, ctypes.byref(px), ctypes.byref(py))
        x, y = px.value, py.value
        vx, vy = view.point(a * x + c * y + e, b * x + d * y + f)
        points.append((vx, vy, pdfium_c.FPDFPathSegment_GetType(seg), bool(pdfium_c.FPDFPathSegment_GetClose(seg))))
    pieces: list[tuple[float, float, float, float]] = []
    start = prev = None
    for x, y, kind, close in points:
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO or prev is None:
            start = prev = (x, y)
            continue
        if kind == pdfium_c.FPDF_SEGMENT_LINETO:
            pieces.append((prev[0], prev[1], x, y))
        prev = (x, y)
        if close and start is not None:
            pieces.append((x, y, start[0], start[1]))
            prev = start
    if not pieces:
        return
    if stroke.value:
        for x0, y0, x1, y1 in pieces:
            _add_piece(x0, y0, x1, y1, hs, vs)
        return
    xs = [p[0] for p in pieces] + [p[2] for p in pieces]
    ys = [p[1] for p in pieces] + [p[3] for p in pieces]
    left, right, top, bottom = min(xs), max(xs), min(ys), max(ys)
    if bottom - top < THIN <= right - left:
        hs.append(((top + bottom) / 2, left, right))
    elif right - left < THIN <= bottom - top:
        vs.append(((left + right) / 2, top, bottom))


def _add_piece(x0: float, y0: float, x1: float, y1: float, hs: list, vs: list) -> None:
    if abs(y1 - y0) < 1 and abs(x1 - x0) >= 1:
        hs.append(((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
    elif abs(x1 - x0) < 1 and abs(y1 - y0) >= 1:
        vs.append(((x0 + x1) / 2, min(y0, y1), max(y0, y1)))


def _objects(page, view: _View, hs: list, vs: list, depth: int = 0, form=None, outer=None) -> int:
    """Collect ruling lines of the page (and of the forms it draws); returns the image count."""
    images = 0
    count = pdfium_c.FPDFFormObj_CountObjects(form) if form is not None else pdfium_c.FPDFPage_CountObjects(page)
    for i in range(count):
        obj = pdfium_c.FPDFFormObj_GetObject(form, i) if form is not None else pdfium_c.FPDFPage_GetObject(page, i)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            m = _matrix(obj)
            _path_segments(obj, _compose(m, outer) if outer else m, view, hs, vs)
        elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            images += 1
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < 8:
            m = _matrix(obj)
            images += _objects(page, view, hs, vs, depth + 1, obj, _compose(m, outer) if outer else m)
    return images


def _join(lines: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Collinear pieces that touch or overlap become one line (pos, start, end)."""
    out: list[list[float]] = []
    for pos, a, b in sorted(lines, key=lambda t: (round(t[0] / TOL), t[1])):
        last = out[-1] if out else None
        if last is not None and abs(last[0] - pos) <= TOL and a <= last[2] + TOL:
            last[2] = max(last[2], b)
        else:
            out.append([pos, a, b])
    return [(p, a, b) for p, a, b in out]


def _cluster(values: list[float]) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= TOL:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def _tables(hs: list, vs: list) -> list[Table]:
    """Connected lattices of horizontal and vertical lines -> tables, top to bottom."""
    hs, vs = _join(hs), _join(vs)
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_x = sorted(range(len(vs)), key=lambda j: vs[j][0])
    vx = [vs[j][0] for j in by_x]
    for i, (y, x0, x1) in enumerate(hs):
        for k in range(bisect_right(vx, x0 - TOL - 1e-9), bisect_right(vx, x1 + TOL)):
            j = by_x[k]
            _, y0, y1 = vs[j]
            if y0 - TOL <= y <= y1 + TOL:
                parent[find(i)] = find(len(hs) + j)
    groups: dict[int, tuple[list, list]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    tables = [_lattice(gh, gv) for gh, gv in groups.values() if len(gh) >= 2 and len(gv) >= 2]
    return sorted((t for t in tables if t is not None), key=lambda t: (t.ys[0], t.xs[0]))


def _covers(lines: list[tuple[float, float, float]], pos: float, a: float, b: float) -> bool:
    mid = (a + b) / 2
    return any(abs(p - pos) <= TOL and s - TOL <= mid <= e + TOL for p, s, e in lines)


def _lattice(hs: list, vs: list) -> Table | None:
    xs, ys = _cluster([v[0] for v in vs]), _cluster([h[0] for h in hs])
    if len(xs) < 2 or len(ys) < 2:
        return None
    nr, nc = len(ys) - 1, len(xs) - 1
    parent = list(range(nr * nc))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(nr):
        for c in range(nc):
            if c + 1 < nc and not _covers(vs, xs[c + 1], ys[r], ys[r + 1]):
                parent[find(r * nc + c + 1)] = find(r * nc + c)
            if r + 1 < nr and not _covers(hs, ys[r + 1], xs[c], xs[c + 1]):
                parent[find((r + 1) * nc + c)] = find(r * nc + c)
    spans: dict[int, list[int]] = {}
    for i in range(nr * nc):
        r, c = divmod(i, nc)
        s = spans.setdefault(find(i), [r, c, r, c])
        s[0], s[1], s[2], s[3] = min(s[0], r), min(s[1], c), max(s[2], r), max(s[3], c)
    regions, region_of = [], {}
    for r1, c1, r2, c2 in sorted(tuple(s) for s in spans.values()):
        n = len(regions)
        regions.append((r1, c1, r2, c2))
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                region_of.setdefault((r, c), n)
    open_bottom = {c for c in range(nc) if not _covers(hs, ys[-1], xs[c], xs[c + 1])}
    # a merge cut by a page break has no line under it; a table with no bottom line at all says nothing
    return Table(xs, ys, regions, region_of, open_bottom=open_bottom if len(open_bottom) < nc else set())


# ---------------------------------------------------------------- text


def _where(tables: list[Table], x: float, y: float) -> tuple[Table | None, int]:
    """The table and the (merged) cell at a point: (None, -1) outside every table."""
    for t in tables:
        if t.contains(x, y):
            return t, t.region_of[t.cell(x, y)]
    return None, -1


def _same(a, b) -> bool:
    return (
        a is not None
        and b is not None
        and ctypes.cast(a, ctypes.c_void_p).value == ctypes.cast(b, ctypes.c_void_p).value
    )


def _clip(obj, boxes: dict) -> tuple[float, float, float, float] | None:
    """The bounds of a text object's clip path (page space), None without one; by object."""
    key = ctypes.cast(obj, ctypes.c_void_p).value
    if key not in boxes:
        clip, xs, ys = pdfium_c.FPDFPageObj_GetClipPath(obj) if obj else None, [], []
        x, y = ctypes.c_float(), ctypes.c_float()
        for k in range(pdfium_c.FPDFClipPath_CountPaths(clip) if clip else 0):
            for j in range(pdfium_c.FPDFClipPath_CountPathSegments(clip, k)):
                pdfium_c.FPDFPathSegment_GetPoint(pdfium_c.FPDFClipPath_GetPathSegment(clip, k, j), x, y)
                xs.append(x.value)
                ys.append(y.value)
        boxes[key] = (min(xs), min(ys), max(xs), max(ys)) if xs else None
    return boxes[key]


def _runs(textpage, view: _View, tables: list[Table]) -> tuple[list[tuple[Table | None, Run]], int]:
    """The page's glyphs as runs, each with the table it starts in (None: outside every table)."""
    n = pdfium_c.FPDFText_CountChars(textpage)
    rect = pdfium_c.FS_RECTF()
    out: list[tuple[Table | None, Run]] = []
    run: Run | None = None
    where: tuple = (None, -1)
    edge = float("inf")  # the right edge of the cell the run started in
    last = None  # the text object of the run's last glyph
    space = False
    real = 0
    clips: dict = {}
    for i in range(n):
        u = pdfium_c.FPDFText_GetUnicode(textpage, i)
        if pdfium_c.FPDFText_IsGenerated(textpage, i) or u in (10, 13, 0xFFFE):
            space = space or u == 32  # a gap pdfium took for a word break: checked below
            continue
        ch = chr(u)
        pdfium_c.FPDFText_GetLooseCharBox(textpage, i, ctypes.byref(rect))
        obj = pdfium_c.FPDFText_GetTextObject(textpage, i)
        box = _clip(obj, clips)
        if box is not None and (
            rect.right < box[0] - 1 or rect.left > box[2] + 1 or rect.top < box[1] - 1 or rect.bottom > box[3] + 1
        ):  # wholly outside its clip, so not shown (a merged label's copy on another page); one cut is kept
            continue  # (gnumeric clips a cell's text to the cell: a line's last 。 may reach past it)
        x0, y0, x1, y1 = view.box(rect.left, rect.bottom, rect.right, rect.top)
        if ch.isspace() and x1 - x0 < 0.01:
            space = True
            continue
        real += 1
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        h = max(y1 - y0, 1.0)
        here = None
        if run is not None and abs(cy - run.cy) < 0.5 * h and -0.5 * h < x0 - run.x1 < 0.6 * h:
            gap = x0 - run.x1
            # within its cell a run goes on; past the cell's edge only the same text drawn on
            # (text spilling over an empty neighbour), never the next cell's own text
            inside = cx <= edge and gap < 0.1 * h
            if inside or (gap < 0.1 * h and _same(obj, last)) or (here := _where(tables, cx, cy)) == where:
                if run.chars[-1] != " " and (gap > 0.2 * h or (space and gap > 0.05 * h)):
                    run.chars.append(" ")
                run.chars.append(ch)
                run.x1, run.top, run.bottom = max(run.x1, x1), min(run.top, y0), max(run.bottom, y1)
                space, last = False, obj
                continue
        run = Run(x0, x1, y0, y1, [ch])
        where = here or _where(tables, cx, cy)
        edge = where[0].xs[where[0].regions[where[1]][3] + 1] if where[0] is not None else float("inf")
        space, last = False, obj
        out.append((where[0], run))
    return out, real


def read_page(page) -> Page:
    """The tables and the text of one pypdfium2 page."""
    view = _View(page)
    hs: list = []
    vs: list = []
    images = _objects(page, view, hs, vs)
    tables = _tables(hs, vs)
    textpage = pdfium_c.FPDFText_LoadPage(page)
    try:
        runs, chars = _runs(textpage, view, tables)
    finally:
        pdfium_c.FPDFText_ClosePage(textpage)
    outside: list[Run] = []
    for table, run in runs:
        if table is None:
            outside.append(run)
            continue
        r, c = table.cell(run.x0 + min(run.height, run.x1 - run.x0) / 2, run.cy)
        table.runs.setdefault(table.region_of[(r, c)], []).append(run)
    return Page(tables, outside, chars, images, view.width, view.height)
