"""One date format everywhere (issue 15): dd/mm/yyyy and hh:mm, as official documents write them.

Django's Vietnamese formats spell dates out ("09:44 Ngày 4 tháng 12 năm 2026") and its short ones use
dashes ("09:44 04-12-2026"); pages, notifications and exports use this one numeric format instead. Input
formats are left to Django's defaults (the browser's date fields send ISO dates).
"""

DATE_FORMAT = "d/m/Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
YEAR_MONTH_FORMAT = "m/Y"
MONTH_DAY_FORMAT = "d/m"
FIRST_DAY_OF_WEEK = 1  # Monday
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
