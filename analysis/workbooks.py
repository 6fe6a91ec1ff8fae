"""Excel copies of the main result tables, for people: Russian headers with units, one sheet,
the header row frozen, the same bytes for the same rows. The CSV files stay for programs.

`PEOPLE_WORKBOOKS` names each workbook, the CSV it copies and its headers; build-results
writes them next to the CSVs (`people_workbooks`). action_list.xlsx is written by the
campaign stage with the same `to_workbook`.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Callable

import pandas as pd

from . import units


def customers_headers(horizon_months: int) -> dict[str, str]:
    """results/customers.csv: column -> Russian header with its unit."""
    return {
        "id": "id покупателя",
        "split": "Часть выборки: train — обучающая, test — тестовая",
        "probability_drop": f"Риск: вероятность снижения активности ({units.PROBABILITY})",
        "scored_by": "Какая модель дала риск: fold_N — модель фолда N (вне фолда), final — итоговая",
        "predicted_drop": "Выше порога риска (1 — да, 0 — нет)",
        "segment": "Код сегмента",
        "segment_label": "Сегмент",
        "promo_hunter": "Охотник за акциями",
        "profit": f"Прибыль в месяц, {units.MONEY}",
        "expected_profit_at_risk": f"Прибыль под риском за {horizon_months} мес. (верхняя граница), {units.MONEY}",
        "top_drivers": "Главные причины риска: (+) повышает, (−) снижает",
        "top_actionable_driver": "Главная причина, на которую можно повлиять (код признака)",
        "offer": "Предложение",
        "offer_action": "Что сделать",
    }


def segment_summary_headers(horizon_months: int) -> dict[str, str]:
    """results/segment_summary.csv: column -> Russian header with its unit."""
    return {
        "segment": "Код сегмента",
        "label": "Сегмент",
        "customers": f"Покупателей, {units.CUSTOMERS}",
        "mean_risk": f"Средний риск ({units.PROBABILITY})",
        "horizon_profit": f"Прибыль за {horizon_months} мес., {units.MONEY}",
        "profit_at_stake": f"Прибыль под риском за {horizon_months} мес. (верхняя граница), {units.MONEY}",
        "drop_share": f"Доля уже «Снизилась» ({units.SHARE})",
        "share": f"Доля всех покупателей ({units.SHARE})",
        "share_of_at_stake": f"Доля всей прибыли под риском ({units.SHARE})",
        "kind": "Как задан сегмент",
    }


def campaign_headers(horizon_months: int) -> dict[str, str]:
    """results/campaign.csv: column -> Russian header with its unit."""
    return {
        "id": "id покупателя",
        "segment": "Код сегмента",
        "segment_label": "Сегмент",
        "probability_drop": f"Риск: вероятность снижения активности ({units.PROBABILITY})",
        "profit": f"Прибыль в месяц, {units.MONEY}",
        "offer": "Предложение",
        "offer_cost": f"Цена предложения за {horizon_months} мес. (допущение), {units.MONEY}",
        "assumed_effect": f"Допущенный эффект предложения ({units.SHARE})",
        "profit_kept": f"Сохранённая прибыль за {horizon_months} мес. (допущение), {units.MONEY}",
        "expected_value": f"Ожидаемый чистый эффект за {horizon_months} мес. (допущение), {units.MONEY}",
        "targeted": "В списке кампании",
        "group": "Группа: offer — отправить предложение, control — не отправлять (контрольная)",
    }


# workbook -> (the CSV it copies, its headers, its sheet's name)
PEOPLE_WORKBOOKS: dict[str, tuple[str, Callable[[int], dict[str, str]], str]] = {
    "customers.xlsx": ("customers.csv", customers_headers, "Покупатели"),
    "segment_summary.xlsx": ("segment_summary.csv", segment_summary_headers, "Сегменты"),
    "campaign.xlsx": ("campaign.csv", campaign_headers, "Кампания"),
}

_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def to_workbook(frame: pd.DataFrame, headers: dict[str, str], sheet: str) -> bytes:
    """One sheet with `frame` under `headers` (every column must have one: ValueError naming the
    missing ones), header row frozen, columns wide enough to read; reproducible bytes."""
    missing = [column for column in frame.columns if column not in headers]
    if missing:
        raise ValueError(f"workbook '{sheet}': no Russian header for column(s) {', '.join(missing)}")
    buffer = io.BytesIO()
    russian = frame.rename(columns=headers)
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        russian.to_excel(writer, sheet_name=sheet, index=False)
        book_sheet = writer.sheets[sheet]
        book_sheet.freeze_panes = "A2"
        for column, header in zip(book_sheet.columns, russian.columns):
            book_sheet.column_dimensions[column[0].column_letter].width = min(max(len(header) // 2, 12), 45)
    return _reproducible(buffer.getvalue())


def _reproducible(workbook: bytes) -> bytes:
    """The same bytes for the same rows: openpyxl stamps the save time into docProps/core.xml
    and every zip entry; both are set to the zip epoch."""
    source, target = zipfile.ZipFile(io.BytesIO(workbook)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as packed:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>1980-01-01T00:00:00Z", content)
            packed.writestr(zipfile.ZipInfo(item.filename, date_time=_FIXED_TIME), content,
                            compress_type=zipfile.ZIP_DEFLATED)
    return target.getvalue()


def people_workbooks(results_dir: Path, horizon_months: int) -> dict[str, bytes]:
    """workbook name -> bytes, for every PEOPLE_WORKBOOKS entry, from the CSVs in `results_dir`."""
    return {name: to_workbook(pd.read_csv(results_dir / csv), headers(horizon_months), sheet)
            for name, (csv, headers, sheet) in PEOPLE_WORKBOOKS.items()}
