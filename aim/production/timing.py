"""Timings against the plan's figures: a timing is only ever a warning, never a failure.

Each timing has the plan's *target* and a looser *acceptance* figure.  The plan names no
acceptance figure of its own for these timings, so each is twice its target (docs/guide.md,
"Warnings").  Under the target a timing is ok; over it, a warning that says whether it is still
within the acceptance figure.  A slow or busy machine must never undo a good deploy, so not
even a timing over its acceptance figure, or one that could not be taken, fails.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aim.checks import CheckResult, Status, result

if TYPE_CHECKING:
    from aim.production.checks import ProductionContext

# The plan's performance targets, in seconds, and the acceptance figures (twice each target).
TARGETS = {"health": 2.0, "versions": 3.0, "scan": 10.0, "audit_query": 1.0, "startup": 0.5}
ACCEPTANCE = {name: 2 * target for name, target in TARGETS.items()}
SLOW_HINT = ("a slow or busy machine, or a slow disk or network: a timing never fails the "
             "deploy; measure again when the machine is quiet ('aim deploy' is safe to repeat)")


def judge(name: str, seconds: float) -> tuple[Status, str]:
    """``seconds`` for timing ``name`` against its target and acceptance figure."""
    target, acceptance = TARGETS[name], ACCEPTANCE[name]
    shown = f"{name} {seconds:.3f}s"
    if seconds <= target:
        return Status.OK, f"{shown} (target {target:g}s)"
    if seconds <= acceptance:
        return Status.WARN, (f"{shown}: over the {target:g}s target, within the "
                             f"{acceptance:g}s acceptance")
    return Status.WARN, f"{shown}: over the {target:g}s target and the {acceptance:g}s acceptance"


def check_performance(pc: ProductionContext) -> CheckResult:
    """Each timing against its figures: over target is a warning; a timing that could not be
    taken (its check broke, and failed on its own) is a warning here too."""
    taken = {name: pc.timings[name] for name in TARGETS if name in pc.timings}
    unmeasured = [name for name in TARGETS if name not in taken]
    judged = {name: judge(name, seconds) for name, seconds in taken.items()}
    over = [text for status, text in judged.values() if status is Status.WARN]
    summary = (", ".join(f"{n} {t:.3f}s/{TARGETS[n]:g}s" for n, t in taken.items())
               + (f"; over target (a warning): {'; '.join(over)}" if over else "")
               + (f"; not measured (its check failed): {', '.join(unmeasured)}"
                  if unmeasured else ""))
    status = Status.WARN if over or unmeasured else Status.OK
    return result("performance", status, summary, SLOW_HINT if over else "",
                  title="performance targets met", evidence={
                      "timings": {n: round(t, 4) for n, t in taken.items()},
                      "targets": TARGETS, "acceptance": ACCEPTANCE, "unmeasured": unmeasured,
                      "over_target": [n for n, (s, _) in judged.items() if s is Status.WARN],
                      "over_acceptance": [n for n, t in taken.items() if t > ACCEPTANCE[n]]})
