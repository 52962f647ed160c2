"""Property tests of the three-way merge, on generated forms and generated edits.

merge(b, x, b) == x, merge(b, b, y) == y and merge(b, x, x) == x for any edits x, y of b;
with disjoint edits, merge(b, x, y) is both edits applied, whichever side is OURS.
"""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheetsync import Form
from sheetsync.catalog import get_spec
from sheetsync.merging import merge_forms
from tests.test_roundtrip import amount, contract, target, text

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _forms(data: list[dict], spec) -> list[Form]:
    return [Form.from_dict(copy.deepcopy(d), spec=spec) for d in data]


def _merged(spec, b, x, y, **kw) -> list[dict]:
    result = merge_forms(_forms(b, spec), _forms(x, spec), _forms(y, spec), **kw)
    return [f.to_dict() for f in result.forms], result.conflicts


def _inputs(spec):
    """(key path, strategy) of every input value outside the indicators."""
    out = [((k,), text) for k in spec.text_keys]
    out += [((b.key, rk, ck), amount) for b in spec.amounts for rk, _ in b.row_labels for ck in b.inputs]
    return out


def _set(data: dict, path: tuple, value) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


def fresh(spec, form: dict) -> dict:
    """``form`` validated, its computed values (执行率, 总分) computed anew after an edit."""
    form = copy.deepcopy(form)
    for block in spec.totals:
        form.pop(block.key, None)
    for block in spec.amounts:
        for row in form[block.key].values():
            for ck in block.derived:
                row.pop(ck, None)
    return Form.from_dict(form, spec=spec).to_dict()


def _cell(spec, col):
    return amount if col.number else target if col.target else text


def _new_row(spec, draw, name: str | None = None) -> dict:
    ind = spec.indicators
    row = {c.key: draw(_cell(spec, c)) for c in ind.columns}
    row[ind.level(1).key] = draw(st.sampled_from(list(spec.framework.levels)))
    row[ind.level(2).key] = ""
    if name is not None:
        row[ind.name.key] = name
    return row


# ---------------------------------------------------------------- any edits


def any_edit(spec):
    """A strategy turning forms into an edited copy: texts, amounts, indicator cells (levels
    too) changed, rows deleted, inserted and moved, forms renamed, deleted and added."""
    ind = spec.indicators

    @st.composite
    def edit(draw, base: list[dict]) -> list[dict]:
        out = copy.deepcopy(base)
        for form in out:
            for path, values in draw(st.lists(st.sampled_from(_inputs(spec)), max_size=3)):
                _set(form, path, draw(values))
            rows = form[ind.key]
            for _ in range(draw(st.integers(0, 4))):
                op = draw(st.sampled_from(["cell", "delete", "insert", "move"]))
                if op == "insert" or not rows:
                    rows.insert(draw(st.integers(0, len(rows))), _new_row(spec, draw))
                elif op == "cell":
                    col = draw(st.sampled_from(ind.columns))
                    value = draw(_cell(spec, col))
                    rows[draw(st.integers(0, len(rows) - 1))][col.key] = value or "x" if col.level == 1 else value
                elif op == "delete":
                    rows.pop(draw(st.integers(0, len(rows) - 1)))
                else:
                    rows.insert(draw(st.integers(0, len(rows) - 1)), rows.pop(draw(st.integers(0, len(rows) - 1))))
        if out and draw(st.booleans()):
            out.pop(draw(st.integers(0, len(out) - 1)))
        if draw(st.booleans()):
            out.insert(draw(st.integers(0, len(out))), draw(contract(spec, 6)))
        return [fresh(spec, f) for f in out]

    return edit


def _three_laws(spec, data):
    b = data.draw(st.lists(contract(spec, 12), min_size=1, max_size=3))
    edit = any_edit(spec)
    x, y = data.draw(edit(b)), data.draw(edit(b))
    for merged, conflicts, expected in (
        (*_merged(spec, b, x, b), x),
        (*_merged(spec, b, b, y), y),
        (*_merged(spec, b, x, x), x),
    ):
        assert conflicts == []
        assert merged == expected


@SETTINGS
@given(st.data())
def test_one_sided_and_identical_edits_merge_to_that_edit(data):
    _three_laws(get_spec(), data)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_one_sided_and_identical_edits_merge_to_that_edit_in_the_self_evaluation(data):
    _three_laws(get_spec("自评表"), data)


# ---------------------------------------------------------------- disjoint edits


def _unique(spec, forms: list[dict]) -> list[dict]:
    """Forms with unique names and unique indicator paths (the diff pairs duplicates by
    order, so edits of duplicates are not disjoint in what the merge can see)."""
    ind = spec.indicators
    out, names = [], set()
    for n, form in enumerate(forms):
        form = copy.deepcopy(form)
        if form[spec.identity] in names:
            form[spec.identity] += f"#{n}"
        names.add(form[spec.identity])
        seen, rows = set(), []
        for row in form[ind.key]:
            path = (row[ind.level(1).key], row[ind.level(2).key], row[ind.name.key])
            if path not in seen:
                seen.add(path)
                rows.append(row)
        form[ind.key] = rows
        out.append(fresh(spec, form))
    return out


@st.composite
def disjoint_edits(draw, spec, base: list[dict]) -> tuple[list, list]:
    """Edits of ``base`` for two sides, as operations on items by identity; no item is
    touched by both, and the two sides insert at different places, after untouched items."""
    ind = spec.indicators
    owner = lambda: draw(st.sampled_from([None, 0, 1]))  # noqa: E731
    ops: list[list] = [[], []]
    form_owner = {fi: owner() for fi in range(len(base))}
    anchors = [None, *(("form", fi) for fi, o in form_owner.items() if o is None)]
    for fi, form in enumerate(base):
        side = form_owner[fi]
        if side is not None:  # a whole form for one side: delete it or rename it
            if draw(st.booleans()):
                ops[side].append(("delform", fi))
            else:
                ops[side].append(("rename", fi, draw(text) + f"改{fi}"))
            continue
        for path, values in _inputs(spec):
            if path != (spec.identity,) and (who := owner()) is not None:
                ops[who].append(("value", fi, path, draw(values)))
        free = [None]
        for ri in range(len(form[ind.key])):
            who = owner()
            if who is None:
                free.append(ri)
            elif draw(st.booleans()):
                ops[who].append(("delrow", fi, ri))
            else:
                col = draw(st.sampled_from(ind.values))
                ops[who].append(("cell", fi, ri, col.key, draw(_cell(spec, col))))
        for n, anchor in enumerate(draw(st.lists(st.sampled_from(free), max_size=3, unique=True))):
            side = draw(st.sampled_from([0, 1]))
            ops[side].append(("addrow", fi, anchor, _new_row(spec, draw, f"新增{fi}-{n}")))
    for n, anchor in enumerate(draw(st.lists(st.sampled_from(anchors), max_size=2, unique=True))):
        new = draw(contract(spec, 3))
        new[spec.identity] = f"新表{n}"
        new[ind.key] = [_new_row(spec, draw, f"新表{n}指标{k}") for k in range(draw(st.integers(1, 3)))]
        ops[draw(st.sampled_from([0, 1]))].append(("addform", anchor, new))
    # a side that renames a form deletes none: a deleted form could pass for the renamed one
    for side in ops:
        if any(op[0] == "rename" for op in side):
            side[:] = [op for op in side if op[0] != "delform"]
    return ops


def apply_ops(spec, base: list[dict], *sides: list) -> list[dict]:
    """``base`` with each side's operations applied, items found by identity."""
    ind = spec.indicators
    forms = [
        [("form", fi), copy.deepcopy(f), [[("row", fi, ri), copy.deepcopy(r)] for ri, r in enumerate(f[ind.key])]]
        for fi, f in enumerate(base)
    ]

    def find(items, key):
        return next(n for n, item in enumerate(items) if item[0] == key)

    for ops in sides:
        for op in ops:
            kind = op[0]
            if kind == "delform":
                forms.pop(find(forms, ("form", op[1])))
            elif kind == "rename":
                forms[find(forms, ("form", op[1]))][1][spec.identity] = op[2]
            elif kind == "addform":
                at = 0 if op[1] is None else find(forms, op[1]) + 1
                rows = [[("new", id(r)), r] for r in op[2][ind.key]]
                forms.insert(at, [("new", id(op[2])), copy.deepcopy(op[2]), rows])
            else:
                _, form, rows = forms[find(forms, ("form", op[1]))]
                if kind == "value":
                    _set(form, op[2], op[3])
                elif kind == "delrow":
                    rows.pop(find(rows, ("row", op[1], op[2])))
                elif kind == "cell":
                    rows[find(rows, ("row", op[1], op[2]))][1][op[3]] = op[4]
                elif kind == "addrow":
                    at = 0 if op[2] is None else find(rows, ("row", op[1], op[2])) + 1
                    rows.insert(at, [("new", id(op[3])), op[3]])
    out = []
    for _, form, rows in forms:
        form[ind.key] = [copy.deepcopy(r) for _, r in rows]
        out.append(fresh(spec, form))
    return out


def _disjoint_law(spec, data):
    b = _unique(spec, data.draw(st.lists(contract(spec, 10), min_size=1, max_size=3)))
    ops_x, ops_y = data.draw(disjoint_edits(spec, b))
    x, y = apply_ops(spec, b, ops_x), apply_ops(spec, b, ops_y)
    expected = apply_ops(spec, b, ops_x, ops_y)
    merged, conflicts = _merged(spec, b, x, y)
    assert conflicts == []
    assert merged == expected
    swapped, conflicts = _merged(spec, b, y, x)
    assert conflicts == []
    assert swapped == merged


@SETTINGS
@given(st.data())
def test_disjoint_edits_merge_to_both_applied_whichever_side_is_ours(data):
    _disjoint_law(get_spec(), data)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_disjoint_edits_merge_in_the_self_evaluation(data):
    _disjoint_law(get_spec("自评表"), data)
