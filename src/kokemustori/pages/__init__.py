"""The public pages and each person's dashboard: they show what every other app holds."""
