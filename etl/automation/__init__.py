"""Partitions, schedules and sensors: when and over which dates the assets run."""
