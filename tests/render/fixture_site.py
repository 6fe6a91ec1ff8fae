"""A tiny Quarto website used by the build tests, written into tmp dirs.

Small on purpose (three pages, two kernels) so that real kernel execution
stays fast; each feature the renderer promises appears once.
"""
from __future__ import annotations

import textwrap
from pathlib import Path


QUARTO_YML = """\
project:
  type: website
  resources:
    - assets
  post-render: scripts/post.py
lang: ru
comments:
  hypothesis:
    openSidebar: false
website:
  title: Тестовый сайт
  page-navigation: true
  navbar:
    left:
      - index.qmd
      - href: chapters/a.qmd
        text: Глава А (меню)
      - chapters/b.qmd
  sidebar:
    contents:
      - index.qmd
      - section: Анализ
        contents:
          - chapters/a.qmd
          - chapters/b.qmd
  page-footer: "© 2025 [Главная](index.qmd)"
format:
  html:
    toc: true
    include-in-header:
      - text: '<meta name="fixture-header" content="included">'
execute:
  echo: false
"""

INDEX = """\
---
title: Обзор
---

Начните с [главы А](chapters/a.qmd).

## Итоги

Всё посчитано.
"""

CHAPTER_A = """\
---
title: Глава А
---

## Данные

```{python}
#| code-fold: true
#| echo: true
total = 6 * 7
print("hello from a")
```

Итого `{python} total` клиентов, а подпись `{python} "a*b"`; см. @fig-bars.
В коде `` `{python} total` `` не вычисляется.

::: {.callout-note}
## Главное
Текст внутри.
:::

::: {.callout-note collapse="true"}
## Для аналитика
Подробности *под катом*.
:::

::: {.callout-tip collapse="false" title="Открыто сразу"}
Видно без щелчка.
:::

```{python}
#| label: fig-bars
#| fig-cap: Столбцы по группам
from IPython.display import HTML
HTML("<svg id='bars' width='10' height='10'></svg>")
```

## Выводы

Конец.
"""

CHAPTER_B = """\
---
title: Глава Б
execute:
  warning: false
---

## Предупреждения

```{python}
import sys, warnings
warnings.warn("THIS WARNING MUST NOT APPEAR")
print("printed", sys.executable)
```
"""

POST_RENDER = """\
import os, pathlib
out = pathlib.Path(os.environ["QUARTO_PROJECT_OUTPUT_DIR"])
assert out.is_absolute()
(out / "post-render.txt").write_text(os.environ["QUARTO_PROJECT_OUTPUT_DIR"])
"""

SITE = {"_quarto.yml": QUARTO_YML, "index.qmd": INDEX, "chapters/a.qmd": CHAPTER_A, "chapters/b.qmd": CHAPTER_B,
        "scripts/post.py": POST_RENDER, "assets/logo.txt": "logo", "analysis/model.py": "THRESHOLD = 1\n"}


def write_files(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text) if name.endswith(".py") else text, encoding="utf-8")
    return root


def quiet(_message: str) -> None:
    pass
