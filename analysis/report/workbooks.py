"""Excel copies of the main result tables, for people: Russian headers with units, one sheet,
the header row frozen, the same bytes for the same rows. The CSV files stay for programs.

`TABLE_COLUMNS` describes each column of these tables once (Russian name and unit): the
workbook headers and the downloads page's units come from it. `PEOPLE_WORKBOOKS` names each
workbook and the CSV it copies; build-results writes them next to the CSVs
(`people_workbooks`: pipeline.py's workbooks stage, after the campaign stage has written
action_list.csv).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import units


@dataclass(frozen=True)
class Column:
    """One column of a result table, described once: its Russian name (`{horizon}` stands for
    the horizon in months) and its unit, "" when it has none. The workbook header and the
    downloads page's unit (analysis/report/downloads.py) are both derived from it."""

    name: str
    unit: str = ""

    def header(self, horizon_months: int) -> str:
        """The workbook header: the unit after a comma («Прибыль, у. е. выгрузки в месяц»), a unit
        that is a range in brackets («Средний риск (вероятность от 0 до 1)»), as axis titles write them."""
        name = self.name.format(horizon=horizon_months)
        if not self.unit:
            return name
        return f"{name} ({self.unit})" if " от " in f" {self.unit}" else f"{name}, {self.unit}"


_ID = Column("id покупателя")
_RISK = Column("Риск: вероятность снижения активности", units.PROBABILITY)
_PROFIT = Column("Прибыль", units.MONEY_PER_MONTH)
_SEGMENT, _SEGMENT_LABEL = Column("Код сегмента"), Column("Сегмент")
_DRIVERS = Column("Главные причины риска: (+) повышает, (−) снижает")
_OFFER, _OFFER_ACTION = Column("Предложение"), Column("Что сделать")
_OFFER_COST = Column("Цена предложения за {horizon} мес. (допущение)", units.MONEY)
_EXPECTED_VALUE = Column("Ожидаемый чистый эффект за {horizon} мес. (допущение)", units.MONEY)
_GROUP = Column("Группа: offer — отправить предложение, control — не отправлять (контрольная)")
_AT_STAKE = Column("Прибыль под риском за {horizon} мес. (верхняя граница)", units.MONEY)

# results/<csv> -> column -> its description: the one place these tables' columns are described.
TABLE_COLUMNS: dict[str, dict[str, Column]] = {
    "customers.csv": {
        "id": _ID,
        "split": Column("Часть выборки: train — обучающая, test — тестовая"),
        "probability_drop": _RISK,
        "scored_by": Column("Какая модель дала риск: fold_N — модель фолда N (вне фолда), final — итоговая"),
        "predicted_drop": Column("Выше порога риска (1 — да, 0 — нет)"),
        "segment": _SEGMENT,
        "segment_label": _SEGMENT_LABEL,
        "promo_hunter": Column("Охотник за акциями"),
        "profit": _PROFIT,
        "expected_profit_at_risk": _AT_STAKE,
        "top_drivers": _DRIVERS,
        "top_actionable_driver": Column("Главная причина, на которую можно повлиять (код признака)"),
        "offer": _OFFER,
        "offer_action": _OFFER_ACTION,
    },
    "segment_summary.csv": {
        "segment": _SEGMENT,
        "label": _SEGMENT_LABEL,
        "customers": Column("Покупателей", units.CUSTOMERS),
        "mean_risk": Column("Средний риск", units.PROBABILITY),
        "horizon_profit": Column("Прибыль за {horizon} мес.", units.MONEY),
        "profit_at_stake": _AT_STAKE,
        "drop_share": Column("Доля уже «Снизилась»", units.SHARE),
        "share": Column("Доля всех покупателей", units.SHARE),
        "share_of_at_stake": Column("Доля всей прибыли под риском", units.SHARE),
        "kind": Column("Как задан сегмент"),
    },
    "campaign.csv": {
        "id": _ID,
        "segment": _SEGMENT,
        "segment_label": _SEGMENT_LABEL,
        "probability_drop": _RISK,
        "profit": _PROFIT,
        "offer": _OFFER,
        "offer_cost": _OFFER_COST,
        "assumed_effect": Column("Допущенный эффект предложения", units.SHARE),
        "profit_kept": Column("Сохранённая прибыль за {horizon} мес. (допущение)", units.MONEY),
        "expected_value": _EXPECTED_VALUE,
        "targeted": Column("В списке кампании"),
        "group": _GROUP,
    },
    "action_list.csv": {
        "id": _ID,
        "segment_label": _SEGMENT_LABEL,
        "group": _GROUP,
        "probability_drop": _RISK,
        "profit": _PROFIT,
        "offer": _OFFER,
        "offer_action": _OFFER_ACTION,
        "offer_cost": _OFFER_COST,
        "expected_value": _EXPECTED_VALUE,
        "top_drivers": _DRIVERS,
        "allow_messages": Column("Согласие на рассылку"),
        "popular_category": Column("Любимая категория"),
    },
}


def headers(csv: str, horizon_months: int) -> dict[str, str]:
    """results/<csv>'s columns -> Russian header with its unit, for its workbook."""
    return {column: description.header(horizon_months) for column, description in TABLE_COLUMNS[csv].items()}


def column_units(csv: str) -> dict[str, str]:
    """results/<csv>'s columns that have a unit -> that unit (the downloads page lists them)."""
    return {column: description.unit for column, description in TABLE_COLUMNS[csv].items() if description.unit}


# workbook -> (the CSV it copies, its sheet's name)
PEOPLE_WORKBOOKS: dict[str, tuple[str, str]] = {
    "customers.xlsx": ("customers.csv", "Покупатели"),
    "segment_summary.xlsx": ("segment_summary.csv", "Сегменты"),
    "campaign.xlsx": ("campaign.csv", "Кампания"),
    "action_list.xlsx": ("action_list.csv", "Список"),
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
    return {name: to_workbook(pd.read_csv(results_dir / csv), headers(csv, horizon_months), sheet)
            for name, (csv, sheet) in PEOPLE_WORKBOOKS.items()}
