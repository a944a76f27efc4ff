"""The workflow runner: load and validate YAML workflows, run them with checkpoints, undo them."""
