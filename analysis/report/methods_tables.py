"""great-tables tables of the «Методы» chapter (methods.qmd): the library versions."""

from __future__ import annotations

import pandas as pd
from great_tables import GT, loc, md, style


def library_versions_table(versions: pd.DataFrame) -> GT:
    """The direct dependencies as installed when the site was built (requirements.txt pins all)."""
    return (
        GT(versions)
        .tab_header(title="Библиотеки при сборке", subtitle="Прямые зависимости из requirements.in")
        .cols_label(package="Пакет", version="Версия")
        .tab_style(style=style.text(font="monospace"), locations=loc.body(columns="version"))
        .tab_source_note(md("Все версии, включая транзитивные, закреплены в `requirements.txt`"))
    )
