"""The reader's corpus of foreign forms, and how well the current reader reads it.

The corpus is the real forms of tests/data/real (text dumps with a human reading of each) and
the generated variants of tests/variants.py (each written as a workbook and, where it has one
sheet, as a text grid, at run time). ``measure(folder)`` reads every item with sheetsync and
scores it against its truth; ``python3 -m tests.corpus`` prints one line per item and totals.

What is scored, per item:

- forms: how many forms the reader returned against how many the item holds;
- fields: the header texts (表名 … 年度总体绩效目标, or 预期目标/实际完成情况), compared
  without whitespace and in NFKC (a line wrapped inside a cell leaves a space in the text a
  page gives), any reading the notes list in ``fields_alt`` accepted;
- amounts: every input amount (not 执行率, which is computed); amounts a real form prints in
  元 are expected in 万元 (the contract's unit), ``amount_alt`` accepted;
- pairs: (三级, 指标值) pairs found in the truth's order (a longest common subsequence),
  names and values compared without whitespace and in NFKC (``value_alt``/``names_alt``
  accepted); ``optional_rows`` need not be found;
- levels: of the pairs found, those with the right (一级, 二级) (the framework's aliases,
  ``levels_map`` and ``levels_alt`` accepted);
- junk: indicators read that are not in the truth; missing: truth pairs not found;
- warnings: how many guesses the reader reported; error: the reader refused the file.
"""

from __future__ import annotations

import json
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import sheetsync
from sheetsync.catalog import get_spec
from sheetsync.errors import SheetsyncError
from sheetsync.values import label_key

REAL = Path(__file__).parent / "data" / "real"
MONEY = {"含本级和市县", "含本级", "年初预算数", "全年预算数", "全年执行数"}
ALIASES = {label_key(k): label_key(v) for k, v in get_spec().framework.aliases.items()}


@dataclass
class Item:
    name: str
    kind: str  # "real 绩效目标表", "real 自评表", "variant xlsx", "variant txt"
    path: Path
    truth: list[dict]
    notes: list[dict]  # per form: the real form's notes, or the variant's extras
    patterns: tuple[str, ...] = ()


@dataclass
class Score:
    forms: list[int] = field(default_factory=lambda: [0, 0])  # [read, expected]
    fields: list[int] = field(default_factory=lambda: [0, 0])  # [right, total]
    amounts: list[int] = field(default_factory=lambda: [0, 0])
    pairs: list[int] = field(default_factory=lambda: [0, 0])
    levels: list[int] = field(default_factory=lambda: [0, 0])
    junk: int = 0
    missing: int = 0
    warnings: int = 0
    error: str = ""

    @property
    def perfect(self) -> bool:
        parts = (self.fields, self.amounts, self.pairs, self.levels)
        return not self.error and self.forms[0] == self.forms[1] and self.junk == 0 and all(a == b for a, b in parts)


# ---------------------------------------------------------------- the items


def read_truth(dump: Path) -> list[dict]:
    """The forms of a dump's truth file (one form, or a list when the dump holds several)."""
    truth = json.loads(dump.with_suffix(".json").read_text(encoding="utf-8"))
    return truth if isinstance(truth, list) else [truth]


def real_items() -> list[Item]:
    items = []
    for dump in sorted(REAL.glob("*.txt")):
        truth = read_truth(dump)
        notes = json.loads(dump.with_suffix(".notes.json").read_text(encoding="utf-8"))
        kind = "real 自评表" if "预期目标" in truth[0] else "real 绩效目标表"
        items.append(Item(dump.stem, kind, dump, truth, [notes] * len(truth), tuple(notes.get("patterns", ()))))
    return items


def variant_items(folder: Path) -> list[Item]:
    """Every variant of the corpus, written into ``folder``."""
    from tests.variants import corpus, write_text, write_xlsx

    items = []
    for n, (name, variant) in enumerate(corpus()):
        stem = folder / f"v{n:02d}"
        path = write_xlsx(variant, stem.with_suffix(".xlsx"))
        items.append(Item(name, "variant xlsx", path, variant.expected, variant.expected_extras, variant.patterns))
        if variant.has_text:
            path = write_text(variant, stem.with_suffix(".txt"))
            items.append(Item(name, "variant txt", path, variant.expected, variant.expected_extras, variant.patterns))
    return items


# ---------------------------------------------------------------- scoring


def _same_number(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return isinstance(a, (int, float)) and abs(a - b) <= 1e-9 * max(1.0, abs(b))


def _fields(got: dict | None, want: dict, notes: dict, score: Score) -> None:
    spec = get_spec("自评表" if "预期目标" in want else "绩效目标表")
    for key in spec.text_keys:
        options = [want[key], *notes.get("fields_alt", {}).get(key, [])]
        value = got.get(key) if got else None
        score.fields[1] += 1
        score.fields[0] += isinstance(value, str) and _norm(value) in {_norm(o) for o in options}


def _amounts(got: dict | None, want: dict, notes: dict, score: Score) -> None:
    yuan = notes.get("amount_unit") == "元"  # a real form's truth keeps the amounts as printed
    main = "含本级" if "含本级" in next(iter(want["项目资金"].values())) else None
    alts = notes.get("amount_alt", {})
    for row, cols in want["项目资金"].items():
        for col, value in cols.items():
            if col == "执行率":
                continue
            options = [value, *alts.get(f"{row}.{col}", []), *(alts.get(row, []) if col == main else [])]
            if yuan and col in MONEY:
                options = [None if v is None else round(v / 10000, 10) for v in options]
            read = (got or {}).get("项目资金", {}).get(row, {}).get(col, "missing")
            score.amounts[1] += 1
            score.amounts[0] += any(_same_number(read, o) for o in options)


def _norm(text: str) -> str:
    return label_key(text or "")


def _pair_match(got: dict, want: dict, notes: dict) -> bool:
    name = want["三级指标"]
    names = {_norm(n) for n in [name, *notes.get("names_alt", {}).get(name, [])]}
    target = want.get("指标值", want.get("年度指标值", ""))
    values = {_norm(v) for v in [target, *notes.get("value_alt", {}).get(name, [])]}
    read = got.get("指标值", got.get("年度指标值", ""))
    return _norm(got.get("三级指标", "")) in names and _norm(read if isinstance(read, str) else "") in values


def _level(text: str, notes: dict) -> str:
    text = notes.get("levels_map", {}).get(text, text)
    return ALIASES.get(_norm(text), _norm(text))


def _levels_match(got: dict, want: dict, notes: dict) -> bool:
    options = [[want["一级指标"], want["二级指标"]], *notes.get("levels_alt", {}).get(want["三级指标"], [])]
    read = (_level(got.get("一级指标", ""), notes), _level(got.get("二级指标", ""), notes))
    return any(read == (_level(a, notes), _level(b, notes)) for a, b in options)


def _lcs(got: list[dict], want: list[dict], notes: dict) -> list[tuple[int, int]]:
    """The longest run of truth indicators found in order: (read index, truth index) pairs."""
    n, m = len(got), len(want)
    table = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            if _pair_match(got[i], want[j], notes):
                table[i][j] = table[i + 1][j + 1] + 1
            else:
                table[i][j] = max(table[i + 1][j], table[i][j + 1])
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        if _pair_match(got[i], want[j], notes) and table[i][j] == table[i + 1][j + 1] + 1:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return pairs


def _indicators(got: dict | None, want: dict, notes: dict, score: Score) -> None:
    read = (got or {}).get("绩效指标", [])
    truth = want["绩效指标"]
    found = _lcs(read, truth, notes)
    optional = set(notes.get("optional_rows", []))
    unfound = [t for k, t in enumerate(truth) if k not in {j for _, j in found}]
    skipped = sum(t["三级指标"] in optional for t in unfound)
    score.pairs[0] += len(found)
    score.pairs[1] += len(truth) - skipped
    score.levels[0] += sum(_levels_match(read[i], truth[j], notes) for i, j in found)
    score.levels[1] += len(found)
    score.junk += len(read) - len(found)
    score.missing += len(unfound) - skipped


def _pair_forms(got: list[dict], want: list[dict]) -> list[dict | None]:
    """The read form for each truth form: the one of the same 项目名称, else the next in order."""
    free = list(range(len(got)))
    out: list[int | None] = []
    for w in want:
        same = next((k for k in free if _norm(got[k].get("项目名称", "")) == _norm(w["项目名称"])), None)
        out.append(same)
        if same is not None:
            free.remove(same)
    for n, k in enumerate(out):
        if k is None and free:
            out[n] = free.pop(0)
    return [None if k is None else got[k] for k in out]


def score(item: Item) -> Score:
    result = Score(forms=[0, len(item.truth)])
    try:
        read = sheetsync.read_file(item.path)
        got = [f.to_dict() for f in read.forms]
        result.warnings = len(read.guesses)
    except SheetsyncError as e:
        got, result.error = [], str(e).replace(str(item.path), item.path.name)
    result.forms[0] = len(got)
    for read_form, want, notes in zip(_pair_forms(got, item.truth), item.truth, item.notes, strict=True):
        _fields(read_form, want, notes, result)
        _amounts(read_form, want, notes, result)
        _indicators(read_form, want, notes, result)
    used = {id(f) for f in _pair_forms(got, item.truth) if f is not None}
    result.junk += sum(len(f.get("绩效指标", [])) for f in got if id(f) not in used)
    return result


def measure(folder: Path) -> list[tuple[Item, Score]]:
    return [(item, score(item)) for item in real_items() + variant_items(folder)]


# ---------------------------------------------------------------- the table


def _cell(part: list[int]) -> str:
    return f"{part[0]}/{part[1]}"


def _pct(part: list[int]) -> str:
    return f"{100 * part[0] / part[1]:.0f}%" if part[1] else "-"


def table(rows: list[tuple[Item, Score]]) -> str:
    head = f"{'item':44} {'kind':14} {'forms':>5} {'fields':>7} {'amounts':>7} {'pairs':>7} {'levels':>7} "
    lines = [head + f"{'junk':>4} {'miss':>4} {'warn':>4}  error"]
    for item, s in rows:
        lines.append(
            f"{item.name[:44]:44} {item.kind:14} {s.forms[0]:>2}/{s.forms[1]:<2} {_cell(s.fields):>7} "
            f"{_cell(s.amounts):>7} {_cell(s.pairs):>7} {_cell(s.levels):>7} {s.junk:>4} {s.missing:>4} "
            f"{s.warnings:>4}  {s.error[:60]}"
        )
    lines.append("")
    kinds = sorted({item.kind for item, _ in rows})
    for kind in [*kinds, "all"]:
        group = [s for item, s in rows if kind in ("all", item.kind)]
        total = {
            k: [sum(getattr(s, k)[0] for s in group), sum(getattr(s, k)[1] for s in group)]
            for k in ("forms", "fields", "amounts", "pairs", "levels")
        }
        lines.append(
            f"{kind:14} items {len(group):3}  perfect {sum(s.perfect for s in group):3}  "
            f"forms {_cell(total['forms'])}  fields {_cell(total['fields'])} ({_pct(total['fields'])})  "
            f"amounts {_cell(total['amounts'])} ({_pct(total['amounts'])})  pairs {_cell(total['pairs'])} "
            f"({_pct(total['pairs'])})  levels {_cell(total['levels'])} ({_pct(total['levels'])})  "
            f"junk {sum(s.junk for s in group)}  errors {sum(bool(s.error) for s in group)}  "
            f"silent {sum(not s.perfect and not s.warnings and not s.error for s in group)}"
        )
    return "\n".join(lines)


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        print(table(measure(Path(folder))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
