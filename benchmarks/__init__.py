"""Performance figures of AIM+ (``invoke bench``); each ``bench_*.py`` has ``run(workdir)``."""
