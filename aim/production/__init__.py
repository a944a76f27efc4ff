"""Production validation: the deploy checklist as checks, each pass or fail with evidence."""
