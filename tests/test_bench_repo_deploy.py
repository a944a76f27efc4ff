"""The repository deploy benchmark reads step times from a journal and reports failures."""

from __future__ import annotations

from benchmarks.bench_repo_deploy import Deploy, _deploy_figure, _leaves, _ratio_figure, step_times
from benchmarks.runner import verdict

JOURNAL = [{"t": "step_end", "step": "migrate", "status": "success", "duration": 1.0},
           {"t": "step_end", "step": "migrate.backup", "status": "success", "duration": 0.7},
           {"t": "step_end", "step": "migrate.backup.snapshot", "status": "success",
            "duration": 0.6},
           {"t": "step_end", "step": "links", "status": "failed", "duration": 0.3},
           {"t": "step_end", "step": "test", "status": "skipped", "duration": 0.0}]


def test_step_times_are_the_steps_that_ran_slowest_first_and_leaves_drop_groups() -> None:
    steps = step_times(JOURNAL)
    assert [s[0] for s in steps] == ["migrate", "migrate.backup", "migrate.backup.snapshot",
                                     "links"]
    assert [s[0] for s in _leaves(steps)] == ["migrate.backup.snapshot", "links"]


def test_a_failed_deploy_is_reported_with_its_exit_code_and_error_not_a_time() -> None:
    failed = Deploy(2.0, 1, "error: run X failed at links (rolled back): 90 broken link(s)", [])
    done = Deploy(1.0, 0, "", [])
    figure = _deploy_figure("the repository", failed)
    assert figure["value"] is None and figure["error"].startswith("exit 1: error: run X")
    assert verdict(figure) == "FAILED"
    assert verdict(_ratio_figure(done, failed)) == "FAILED"
    ratio = _ratio_figure(done, Deploy(1.5, 0, "", []))
    assert ratio["value"] == 1.5 and verdict(ratio) == "ok"
