"""What `etl load` says about its plan before it runs."""

from datetime import date

from etl.warehouse.plan import LoadPlan


def test_nothing_to_load():
    assert LoadPlan(152, 0, None, None).describe() == "Nothing to load: all 152 files as last loaded (path, size and mtime)."


def test_changed_dates():
    one = LoadPlan(152, 1, date(2021, 12, 8), date(2021, 12, 8))
    assert one.describe() == "Dates 2021-12-08..2021-12-08: 1 file new, changed or deleted since the last load."
    assert "3 files new" in LoadPlan(152, 3, date(2021, 12, 8), date(2022, 1, 7)).describe()


def test_every_date_with_the_reason():
    plan = LoadPlan(152, 152, date(2021, 12, 1), date(2022, 5, 26), "a new warehouse")
    assert plan.describe() == "Dates 2021-12-01..2022-05-26, every date: a new warehouse."
    assert not plan.up_to_date
