# Django's Arabic formats have no date-time pattern, so dates with a time fell back to
# the American "N j, Y, P". Morocco writes day, month, year and a 24-hour clock.
DATE_FORMAT = "j F، Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F، Y، H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
# Right-to-left marks keep day/month/year in that order inside Arabic text (written as
# escapes: a literal bidirectional mark in source is what "trojan source" attacks hide in).
RLM = "\u200f"
SHORT_DATE_FORMAT = f"d{RLM}/m{RLM}/Y"
SHORT_DATETIME_FORMAT = f"d{RLM}/m{RLM}/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
