"""Reading a legacy AI_MANGER install: its config, its secret vault, its environment map."""
