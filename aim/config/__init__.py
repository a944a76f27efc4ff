"""``aim_config.json``: the model, loading and validation, atomic writes, value expansion."""
