"""The product's one rule for people's names (DOMAIN.md §l): Vietnamese order, family name first.

"Tạ Quang Huy": family name "Tạ", middle name "Quang", given name "Huy". Django's `User` keeps the family and
middle names in `last_name` and the given name in `first_name`; everything that shows a person's name (signer
blocks, exports, the page header, the timeline, iCal) goes through `full_name` / `User.full_name`, never
through `first_name + last_name`.
"""


def full_name(family: str, given: str) -> str:
    """The name as it is written and signed: family (and middle) names, then the given name."""
    return " ".join(part.strip() for part in (family, given) if part and part.strip())


def split_full_name(name: str) -> tuple[str, str]:
    """(family and middle names, given name) of a name in Vietnamese order; one word is a given name."""
    family, _sep, given = " ".join(name.split()).rpartition(" ")
    return family, given
