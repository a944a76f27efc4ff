"""The step catalogue: small functions registered by name, each calling the AIM+ library."""
