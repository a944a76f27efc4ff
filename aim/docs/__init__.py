"""Document operations of deploy: marker blocks, link rewriting and checking, deprecating
AI_MANGER, consolidating AUX_mcp-data, and the AIM+ sections of the workspace docs.

Every operation is planned first as a pure function (the files it would create, change, move
or archive) and applied separately, so dry-runs and checkpoints see the same list.
"""
