"""What every layer shares and nothing in it depends on: the calendar, settings, row types."""
