"""Columns the form does not name (复核分, 调剂额, 评分标准 …) are kept on
every row, in every format, under their header, so that rules read them
with cell() and number(); the form's own cells read exactly as without
them; an export writes them and reads them back."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import forms
from perfrules import Row, Ruleset, Sheet, read_sheet, render, score

FORMS = ["p07", "p13", "p07-split", "p13-split"]


def _columns(count: int) -> dict[str, list[str]]:
    # An amount, a text with a unit, and a sentence; some cells left empty.
    return {
        "复核分": [str(Decimal(i % 4) / 2) for i in range(count)],
        "调剂额": [f"{i}.5万元" if i % 2 else "" for i in range(count)],
        "评分标准": ["完成得满分，未完成按比例扣分" if i % 3 == 0 else "" for i in range(count)],
    }


def _indicator_count(form: forms.Form) -> int:
    head = next(i for i, r in enumerate(form.rows) if "三级指标" in r)
    end = next((i for i in range(head + 1, len(form.rows)) if form.rows[i][0] in ("总分", "合计")), len(form.rows))
    if "指标性质" in form.rows[head + 1]:
        head += 1  # the header's second line
    return end - head - 1


def _cells(row: Row) -> tuple:
    return (row.level1, row.level2, row.name, row.target.text, row.actual.text, row.weight, row.reported, row.note)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    folder = tmp_path_factory.mktemp("extra-columns")
    cache = {}

    def get(name: str, fmt: str, extra: bool):
        if (name, fmt, extra) not in cache:
            form = forms.FORMS[name]()
            columns = _columns(_indicator_count(form))
            if extra:
                form = forms.with_columns(form, columns)
            path = folder / f"{name}{'-extra' if extra else ''}.{fmt}"
            path.write_bytes(forms.ALL_WRITERS[fmt](form))
            cache[(name, fmt, extra)] = (read_sheet(path), columns)
        return cache[(name, fmt, extra)]

    return get


@pytest.mark.parametrize("fmt", list(forms.ALL_WRITERS))
@pytest.mark.parametrize("name", FORMS)
def test_every_row_keeps_the_extra_columns_in_every_format(written, name, fmt):
    sheet, columns = written(name, fmt, True)
    expected = [{header: values[i] for header, values in columns.items()} for i in range(len(sheet.rows))]
    assert len(sheet.rows) == len(next(iter(columns.values())))
    assert [dict(r.columns) for r in sheet.rows] == expected


@pytest.mark.parametrize("fmt", ["html", "xlsx", "txt", "csv"])
def test_each_row_of_a_drifting_table_has_the_cells_of_its_own_line(tmp_path, fmt):
    """The Tianjin table's lines drift (a row a cell short, a name on a line
    of its own): each row still has its own line's extra cells."""
    form = forms.tianjin()
    head = next(i for i, r in enumerate(form.rows) if "三级指标" in r)
    total = next(i for i, r in enumerate(form.rows) if r[0] == "总分")
    lines = [n for n in range(head + 1, total) if "三级指标" not in form.rows[n]]
    form = forms.with_columns(form, {"行号": [f"L{n}" for n in lines]})
    path = tmp_path / f"tianjin.{fmt}"
    path.write_bytes(forms.ALL_WRITERS[fmt](form))
    sheet = read_sheet(path)
    lines = [int(r.columns["行号"][1:]) for r in sheet.rows]
    assert len(sheet.rows) == 60 and lines == sorted(set(lines))
    for row, line in zip(sheet.rows, lines):
        assert any(row.name.startswith(cell) for cell in form.rows[line] if cell), (row.name, form.rows[line])


@pytest.mark.parametrize("fmt", list(forms.ALL_WRITERS))
@pytest.mark.parametrize("name", ["p07", "p13-split"])
def test_extra_columns_change_nothing_else(written, name, fmt):
    plain, _ = written(name, fmt, False)
    extra, _ = written(name, fmt, True)
    assert [_cells(r) for r in extra.rows] == [_cells(r) for r in plain.rows]
    assert attrs.evolve(extra.budget, position=None) == attrs.evolve(plain.budget, position=None)
    assert extra.reported_total == plain.reported_total
    assert [u.split(": ", 1)[1] for u in extra.unread] == [u.split(": ", 1)[1] for u in plain.unread]


REVIEW = Ruleset.from_text("""
ruleset demo.review version 1
rule reviewed when cell("复核分") != "" score min(weight, number("复核分"))
rule met otherwise score weight
""")


@pytest.mark.parametrize("fmt", ["xlsx", "html", "docx", "txt"])
def test_a_rule_reads_an_extra_column_from_a_file(written, fmt):
    sheet, columns = written("p07", fmt, True)
    result = score(sheet, REVIEW)
    assert [r.result.score for r in result.rows] == [
        min(r.row.weight, Decimal(v)).quantize(Decimal("0.01")) for r, v in zip(result.rows, columns["复核分"])]
    assert {r.result.rule for r in result.rows} == {"reviewed"}


def test_a_traditional_header_is_read_as_simplified(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("三級指標,年度指標值,實際完成值,分值,得分,復核 分\n培訓次數,≥10次,12次,2,2,1.5\n", encoding="utf-8")
    assert dict(read_sheet(path).rows[0].columns) == {"复核分": "1.5"}


def test_a_column_merged_down_is_in_every_row_it_covers(tmp_path):
    form = forms.with_columns(forms.project("13"), {"调剂额": ["5万元"] + [""] * 20})
    head = next(i for i, r in enumerate(form.rows) if "三级指标" in r)
    spans = dict(form.spans)
    spans[(head + 1, form.width - 1)] = (3, 1)
    form = forms.Form(form.name, form.title, form.rows, spans)
    path = tmp_path / "t.xlsx"
    path.write_bytes(forms.xlsx(form))
    assert [r.columns["调剂额"] for r in read_sheet(path).rows[:4]] == ["5万元", "5万元", "5万元", ""]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_writes_the_extra_columns_and_reads_them_back(tmp_path, fmt):
    rows = [Row.of(target="≥10次", actual="12次", weight="50", name="培训次数", columns={"复核分": "45", "调剂额": "1.5万元"}),
            Row.of(target="≥10次", actual="8次", weight="40", name="受益人次", columns={"复核分": "30"})]
    budget = Row.budget_execution(budget="100", spent="90", reported="9", columns={"年初预算数": "80", "执行率": "90%"})
    path = tmp_path / f"out.{fmt}"
    path.write_bytes(render(score(Sheet(rows, budget=budget)), fmt))
    back = read_sheet(path)
    # The budget's 年初预算数 is a column of the export: the rows' cells there are empty.
    assert [dict(r.columns) for r in back.rows] == [{"复核分": "45", "调剂额": "1.5万元", "年初预算数": ""},
                                                    {"复核分": "30", "调剂额": "", "年初预算数": ""}]
    assert back.budget.columns["年初预算数"] == "80" and back.budget.columns["执行率"] == "90%"


_WORDS = st.text(alphabet="调剂额扣款比例奖惩考核备", min_size=1, max_size=4).map(lambda w: "附" + w)
_VALUES = st.one_of(st.just(""), st.decimals(min_value=0, max_value=10**6, places=2).map(str),
                    st.text(alphabet="0123456789.%万元说明，", min_size=1, max_size=8))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_extra_columns_read_back_from_csv(tmp_path, data):
    names = data.draw(st.lists(_WORDS, min_size=1, max_size=3, unique=True))
    form = forms.project("07")
    count = _indicator_count(form)
    columns = {n: data.draw(st.lists(_VALUES, min_size=count, max_size=count)) for n in names}
    path = tmp_path / "generated.csv"
    path.write_bytes(forms.twin(forms.with_columns(form, columns)))
    sheet = read_sheet(path)
    assert [dict(r.columns) for r in sheet.rows] == [{n: v[i].strip() for n, v in columns.items()} for i in range(count)]
    assert [r.weight for r in sheet.rows] == [Decimal(r[5]) for r in forms.expected_rows("07")]
