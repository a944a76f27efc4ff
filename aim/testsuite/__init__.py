"""The workspace's own tests: which command runs them, and what a run of it found."""
