"""Form 05 figures on the national instance: checked when a province sends them, read back as the reports
app's `Form05`, and added up across provinces for one period (the same rows, summed).

A province's figures arrive as JSON (`services.send_statistics`); they are checked whole on receipt
(`clean_figures`: a refused message is a 400 the province sees in its outbox), so what is stored adds up.
The labels shown are this instance's, by category code (the province's own label for a code this version
does not know), so that totals across provinces line up row by row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ungcuu.core.periods import Period
from ungcuu.federation.models import NationalStatistics, Peer
from ungcuu.reports.builders import Form05, Form05Row, category_label
from ungcuu.reports.figures import attack_categories

NUMBERS = ("count", "self_handled", "domestic_help", "foreign_help", "national_asked", "damage_vnd")
TOTAL = "TOTAL"
MAX_ROWS = 100
MAX_NUMBER = 10**15  # damage in VND fits; anything larger is a mistake, not a figure
TEXTS = {"organization": 300, "member_code": 50, "address": 500, "parent_body": 300}


def _refuse(message: str) -> ValidationError:
    return ValidationError({"figures": [message]})


def clean_figures(figures: dict) -> dict:
    """The figures as stored: the known fields only, every number a whole number ≥ 0, one row per
    category code and a total row that is the sum of the others. Raises ValidationError otherwise."""
    rows = figures.get("rows")
    if not isinstance(rows, list) or not 0 < len(rows) <= MAX_ROWS:
        raise _refuse(_("Form 05 needs its rows (at most %(n)s).") % {"n": MAX_ROWS})
    cleaned = [_row(row) for row in rows]
    body = [row for row in cleaned if row["code"] != TOTAL]
    totals = [row for row in cleaned if row["code"] == TOTAL]
    if len({row["code"] for row in body}) != len(body) or len(totals) != 1:
        raise _refuse(_("Form 05 needs one row per category and one total row."))
    if any(totals[0][name] != sum(row[name] for row in body) for name in NUMBERS):
        raise _refuse(_("The total row of form 05 is not the sum of its rows."))
    out: dict = {"rows": [*body, totals[0]]}
    for name, limit in TEXTS.items():
        value = figures.get(name, "")
        if not isinstance(value, str) or len(value) > limit:
            message = _("“%(name)s” must be text of at most %(n)s characters.")
            raise _refuse(message % {"name": name, "n": limit})
        out[name] = value
    for name in ("helpers_domestic", "helpers_foreign"):
        out[name] = _names(figures.get(name, []), name)
    return out


def _row(row) -> dict:
    if not isinstance(row, dict):
        raise _refuse(_("Each row of form 05 is an object."))
    code, label = row.get("code"), row.get("label", "")
    if not (isinstance(code, str) and 0 < len(code) <= 60 and isinstance(label, str) and len(label) <= 300):
        raise _refuse(_("Each row of form 05 needs its category code."))
    out: dict = {"code": code, "label": label}
    for name in NUMBERS:
        value = row.get(name, 0)
        if type(value) is not int or not 0 <= value <= MAX_NUMBER:
            raise _refuse(_("The figures of form 05 are whole numbers, 0 or more."))
        out[name] = value
    return out


def _names(value, name: str) -> list[str]:
    if not isinstance(value, list) or len(value) > 200:
        raise _refuse(_("“%(name)s” must be a list of names.") % {"name": name})
    if not all(isinstance(item, str) and len(item) <= 300 for item in value):
        raise _refuse(_("“%(name)s” must be a list of names.") % {"name": name})
    return value


def period_of(key: str) -> Period | None:
    try:
        return Period.parse(key)
    except ValueError:
        return None


def _label(code: str, sent: str) -> str:
    known = {c["code"] for c in attack_categories()}
    return category_label(code, form05=True) if code in known else (sent or code)


def form05_of(statistics: NationalStatistics) -> Form05 | None:
    """A province's stored figures as the reports' form 05; None if they cannot be read (stored before
    the figures were checked on receipt, or of an unknown period)."""
    period = period_of(statistics.period)
    try:
        figures = clean_figures(statistics.figures)
    except ValidationError:
        return None
    if period is None:
        return None
    rows = [Form05Row(**{**row, "label": _label(row["code"], row["label"])}) for row in figures["rows"]]
    return Form05(
        period=period,
        organization=figures["organization"] or statistics.province.name,
        address=figures["address"],
        member_code=figures["member_code"],
        rows=rows[:-1],
        total=Form05Row(**{**figures["rows"][-1], "label": _("Total")}),
        helpers_domestic=figures["helpers_domestic"],
        helpers_foreign=figures["helpers_foreign"],
    )


@dataclass
class ProvinceLine:
    """One province's place in a period's totals: its total row, or why it is not counted."""

    province: Peer
    statistics: NationalStatistics | None
    total: Form05Row | None


@dataclass
class NationalTotals:
    """Form 05's rows summed over the provinces that sent the period's figures."""

    period: Period
    rows: list[Form05Row]
    total: Form05Row
    provinces: list[ProvinceLine] = field(default_factory=list)
    helpers_domestic: list[str] = field(default_factory=list)
    helpers_foreign: list[str] = field(default_factory=list)

    @property
    def counted(self) -> int:
        return sum(1 for line in self.provinces if line.total is not None)


def national_totals(period: Period) -> NationalTotals:
    """Every province's form 05 for `period`, added up row by row (the categories in taxonomy order, then
    any code only a province knows); provinces with nothing received, or unreadable figures, are listed
    and not counted."""
    received = {
        s.province_id: s
        for s in NationalStatistics.objects.filter(period=period.key).select_related("province")
    }
    sums: dict[str, Form05Row] = {
        c["code"]: Form05Row(code=c["code"], label=category_label(c["code"], form05=True))
        for c in attack_categories()
    }
    lines, domestic, foreign = [], [], []
    for province in Peer.objects.order_by("code"):
        statistics = received.get(province.pk)
        form = form05_of(statistics) if statistics is not None else None
        lines.append(ProvinceLine(province, statistics, form.total if form else None))
        if form is None:
            continue
        for row in form.rows:
            _add(sums.setdefault(row.code, Form05Row(code=row.code, label=row.label)), row)
        domestic += [name for name in form.helpers_domestic if name not in domestic]
        foreign += [name for name in form.helpers_foreign if name not in foreign]
    total = Form05Row(code=TOTAL, label=_("Total"))
    for row in sums.values():
        _add(total, row)
    return NationalTotals(period, list(sums.values()), total, lines, domestic, foreign)


def _add(into: Form05Row, row: Form05Row) -> None:
    for name in NUMBERS:
        setattr(into, name, getattr(into, name) + getattr(row, name))


def received_periods() -> list[Period]:
    """The periods some province sent figures for, the latest first."""
    keys = NationalStatistics.objects.order_by().values_list("period", flat=True).distinct()
    periods = [p for p in (period_of(k) for k in keys) if p is not None]
    return sorted(periods, key=lambda p: (p.end, p.start), reverse=True)
