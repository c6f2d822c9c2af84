"""Thin Dagster assets over the plain functions in `etl.warehouse`, in the order the data flows."""

import warnings

import dagster as dg

# Source code references (the links from each asset to its code and each view to its .sql file) are
# beta in Dagster 1.13: accepted, as they are UI links that nothing else depends on.
warnings.filterwarnings("ignore", message=r".*(CodeReference|code_references).*", category=dg.BetaWarning)
