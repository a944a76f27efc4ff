"""Names of the shipped workflows that AIM+'s own code refers to."""

ROLLBACK_WORKFLOW = "rollback"  # the workflow 'aim rollback' runs: it undoes other runs
VALIDATE_WORKFLOW = "validate"  # the workflow 'aim validate' runs: it changes nothing
