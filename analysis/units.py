"""Units the site writes after numbers, in one place.

Money in the raw files has no stated currency or scale (the export calls it revenue and
profit, nothing more), so the site names it as the export's own unit rather than
assume roubles or thousands.
"""

MONEY = "у. е. выгрузки"
MONEY_PER_MONTH = f"{MONEY} в месяц"
MINUTES = "мин"
CUSTOMERS = "покупателей"
SHARE = "доля от 0 до 1"
PROBABILITY = "вероятность от 0 до 1"
DAYS = "дней"
BYTES = "байт"
