"""The English interface keeps the Vietnamese numeric format (dd/mm/yyyy hh:mm, 24-hour): the same
province reads both languages and the documents they produce, and "04/12/2026" must not mean 12 April
to half the readers. Numbers keep English separators."""

DATE_FORMAT = "d/m/Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
YEAR_MONTH_FORMAT = "m/Y"
MONTH_DAY_FORMAT = "d/m"
FIRST_DAY_OF_WEEK = 1
