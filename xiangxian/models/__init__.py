"""The xiangxian registry (新乡贤): people with roots in the city, and what links to them."""

from xiangxian.models.people import (
    HOME_CITY_NAMES,
    HOME_PROVINCE,
    PROVINCES,
    Gender,
    Referral,
    Sector,
    Xiangxian,
    XiangxianMerge,
)
from xiangxian.models.searches import SavedSearch

__all__ = [
    "HOME_CITY_NAMES",
    "HOME_PROVINCE",
    "PROVINCES",
    "Gender",
    "Referral",
    "SavedSearch",
    "Sector",
    "Xiangxian",
    "XiangxianMerge",
]
