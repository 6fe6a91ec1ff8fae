"""Why a customer is not in the model, in words, from exclusions.csv."""

import pandas as pd
import pytest

from analysis.report import exclusion_texts
from analysis.data.features import EXCLUSION_REASONS


@pytest.fixture(scope="module")
def exclusions(model_data):
    return model_data.exclusions


def test_exclusion_reasons_name_the_reason_and_its_detail(exclusions):
    assert {215348, 215380} <= set(exclusions["id"])  # an inactive month, the revenue outlier
    texts = exclusion_texts.exclusion_reasons(exclusions)
    assert set(texts) == {str(i) for i in exclusions["id"]}
    assert texts["215348"].startswith(EXCLUSION_REASONS["inactive_month"] + " (выручка 0")
    assert texts["215380"].startswith(EXCLUSION_REASONS["revenue_outlier"] + " (текущий месяц")


def test_an_unknown_exclusion_reason_is_refused_naming_id_and_code():
    bad = pd.DataFrame({"id": [7], "reason": ["moon_phase"], "detail": [""]})
    with pytest.raises(ValueError, match=r"exclusions.csv, id 7: unknown reason code 'moon_phase'"):
        exclusion_texts.exclusion_reasons(bad)
