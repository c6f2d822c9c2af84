"""Thin Dagster assets over the plain functions in `etl.warehouse`, in the order the data flows."""
