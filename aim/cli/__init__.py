"""The command line: invoke tasks (``invoke …`` in the repo, the ``aim`` program elsewhere)."""
