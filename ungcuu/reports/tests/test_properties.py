"""Property test (hypothesis): a report's figures frozen at submission thaw back to the same dataclasses.

A submitted report renders from the JSON frozen in `figures`; whatever the builders can return must come
back equal, or the accepted document would differ from the one the unit submitted. Derandomized.
"""

from hypothesis import given, settings
from hypothesis import strategies as st

from ungcuu.reports.builders import Form05, UnitReport
from ungcuu.reports.serialize import freeze, thaw

PROPERTY = settings(max_examples=60, deadline=None, derandomize=True, database=None)

# JSON has no NaN or infinity, and the builders never produce them (hours come from timedeltas). This
# narrows `from_type(float)` for the session; no other test asks hypothesis for a float by type.
st.register_type_strategy(float, st.floats(allow_nan=False, allow_infinity=False))


@PROPERTY
@given(st.builds(Form05))
def test_form05_figures_round_trip(figures):
    assert thaw(Form05, freeze(figures)) == figures


@PROPERTY
@given(st.builds(UnitReport))
def test_unit_report_figures_round_trip(figures):
    assert thaw(UnitReport, freeze(figures)) == figures
