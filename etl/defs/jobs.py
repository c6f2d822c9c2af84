"""The job every load runs, by name: the schedule and the sensor ask for it before the definitions exist."""

LOAD_JOB_NAME = "load_warehouse"
