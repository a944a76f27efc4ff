"""Running workflows: results, expressions, conditions, retries, always, rollback on failure."""

from __future__ import annotations

from pathlib import Path

from aim.workflow.history import load_run
from tests.treeutil import snapshot_tree
from tests.workflow.wfutil import Recorder, make_workspace, run, write_workflow

MUTATING = """
    version: 1
    name: mutate
    vars: {out: out}
    steps:
      - id: write
        uses: file.write
        with: {path: "${{ vars.out }}/new/deep.txt", content: "fresh"}
      - id: overwrite
        uses: file.write
        with: {path: a.txt, content: "changed"}
      - id: copy
        uses: file.copy
        with: {src: sub, dest: sub-copy}
      - id: move
        uses: file.move
        with: {src: sub/b.txt, dest: moved/b.txt}
      - id: delete
        uses: file.delete
        with: {path: sub/deep}
      - id: mkdir
        uses: dir.create
        with: {path: empty/inner}
      - id: relink
        uses: file.delete
        with: {path: link}
      - id: last
        uses: shell
        with: {run: "echo boom >&2; exit 7", writes: []}
"""


def test_failure_at_last_step_leaves_tree_byte_identical(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    before = snapshot_tree(ws.root)
    recorder = Recorder()
    result = run(ws, write_workflow(tmp_path, "mutate", MUTATING), recorder.hooks())
    assert result.status == "failed"
    assert result.failed_step == "last"
    assert "exit code 7" in result.reason and "boom" in result.reason
    assert result.rolled_back
    assert snapshot_tree(ws.root) == before
    assert [k for k, _, _ in recorder.events].count("rollback") == 1
    assert load_run(ws, result.run_id).status == "rolled_back"


def test_success_keeps_changes_and_journals_outputs(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    wf = write_workflow(tmp_path, "ok", """
        version: 1
        name: ok
        steps:
          - id: write
            uses: file.write
            with: {path: notes/today.md, content: "hello"}
          - id: say
            uses: echo
            with: {message: "wrote ${{ steps.write.outputs.path }} in ${{ run.id }}"}
    """)
    result = run(ws, wf)
    assert result.status == "success"
    assert (ws.root / "notes" / "today.md").read_text() == "hello"
    assert result.steps[1].outputs["message"] == f"wrote notes/today.md in {result.run_id}"
    state = load_run(ws, result.run_id)
    assert state.steps["say"].outputs == result.steps[1].outputs


def test_stop_on_failure_keeps_completed_steps(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    wf = write_workflow(tmp_path, "stop", """
        version: 1
        name: stop
        on_failure: stop
        steps:
          - {id: write, uses: file.write, with: {path: kept.txt, content: "k"}}
          - {id: fail, uses: shell, with: {run: "exit 1", writes: []}}
          - {id: never, uses: file.write, with: {path: never.txt, content: "n"}}
    """)
    result = run(ws, wf)
    assert result.status == "failed" and not result.rolled_back
    assert (ws.root / "kept.txt").exists() and not (ws.root / "never.txt").exists()
    assert [s.status.value for s in result.steps] == ["success", "failed", "skipped"]


def test_when_inputs_and_fallbacks(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    wf = write_workflow(tmp_path, "cond", """
        version: 1
        name: cond
        vars: {name: "${{ inputs.name || 'nobody' }}"}
        steps:
          - id: greet
            uses: echo
            with: {message: "hi ${{ vars.name }}"}
          - id: only-if-flag
            uses: file.write
            with: {path: flag.txt, content: "x"}
            when: "${{ inputs.flag }}"
          - id: unless-flag
            uses: echo
            with: {message: "no flag"}
            when: "${{ !inputs.flag }}"
    """)
    plain = run(ws, wf)
    assert plain.steps[0].outputs["message"] == "hi nobody"
    assert [s.status.value for s in plain.steps] == ["success", "skipped", "success"]
    assert not (ws.root / "flag.txt").exists()
    flagged = run(ws, wf, inputs={"name": "ada", "flag": "yes"})
    assert flagged.steps[0].outputs["message"] == "hi ada"
    assert [s.status.value for s in flagged.steps] == ["success", "success", "skipped"]


def test_always_step_sees_failure_and_is_undone_too(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    before = snapshot_tree(ws.root)
    wf = write_workflow(tmp_path, "always", """
        version: 1
        name: always
        steps:
          - {id: fail, uses: shell, with: {run: "exit 2", writes: []}}
          - {id: skipped, uses: echo, with: {message: "not me"}}
          - id: notify
            uses: echo
            with: {message: "${{ run.status }} at ${{ run.failed_step }}"}
            always: true
    """)
    result = run(ws, wf)
    notify = result.steps[2]
    assert notify.status.value == "success"
    assert notify.outputs["message"] == "failed at fail"
    assert result.steps[1].status.value == "skipped"
    assert snapshot_tree(ws.root) == before


def test_continue_on_error(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    wf = write_workflow(tmp_path, "tolerant", """
        version: 1
        name: tolerant
        steps:
          - {id: flaky, uses: shell, with: {run: "exit 3", writes: []}, continue_on_error: true}
          - id: after
            uses: echo
            with: {message: "${{ steps.flaky.status }}"}
    """)
    result = run(ws, wf)
    assert result.status == "success"
    assert result.steps[1].outputs["message"] == "failed"


def test_retries_undo_partial_attempts(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    wf = write_workflow(tmp_path, "retry", """
        version: 1
        name: retry
        steps:
          - id: flaky
            uses: shell
            retries: 2
            with:
              run: >-
                echo x >> attempts.log; n=$(wc -l < attempts.log);
                test $n -ge 3 || { echo partial > half.txt; false; }
              writes: [half.txt]
    """)
    result = run(ws, wf)
    assert result.status == "success"
    assert result.steps[0].attempts == 3
    assert not (ws.root / "half.txt").exists()  # each failed attempt was undone


def test_timeout_kills_the_step(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    wf = write_workflow(tmp_path, "slow", """
        version: 1
        name: slow
        steps:
          - {id: sleepy, uses: shell, timeout: 0.5, with: {run: "sleep 30", writes: []}}
    """)
    result = run(ws, wf)
    assert result.status == "failed"
    assert "timed out after 0.5s" in result.reason
    assert result.duration < 10


def test_fail_at_injects_failure_after_the_step(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    before = snapshot_tree(ws.root)
    result = run(ws, write_workflow(tmp_path, "mutate", MUTATING), fail_at="copy")
    assert result.failed_step == "copy"
    assert "failure injected by --fail-at" in result.reason
    assert [s.status.value for s in result.steps][:4] == ["success", "success", "failed",
                                                          "skipped"]
    assert snapshot_tree(ws.root) == before


def test_nested_workflow_runs_as_one_step(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    write_workflow(tmp_path, "child", """
        version: 1
        name: child
        steps:
          - {id: make, uses: file.write, with: {path: child.txt, content: "c"}}
    """)
    parent = write_workflow(tmp_path, "parent", """
        version: 1
        name: parent
        steps:
          - {id: sub, workflow: child}
          - id: report
            uses: echo
            with: {message: "${{ steps.sub.outputs.make.path }}"}
          - {id: fail, uses: shell, with: {run: "false", writes: []}}
    """)
    before = snapshot_tree(ws.root)
    result = run(ws, parent)
    ids = [s.id for s in result.steps]
    assert ids[:3] == ["sub.make", "sub", "report"]
    assert result.steps[2].outputs["message"] == "child.txt"
    assert snapshot_tree(ws.root) == before


def test_audit_events_for_run_steps_and_end(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    recorder = Recorder()
    wf = write_workflow(tmp_path, "audited", """
        version: 1
        name: audited
        steps:
          - {id: one, uses: echo}
          - {id: two, uses: echo}
    """)
    result = run(ws, wf, recorder.hooks())
    kinds = [(k, d.get("event") or d.get("step")) for k, _, d in recorder.events]
    assert kinds == [("run", "start"), ("step", "one"), ("step", "two"), ("run", "end")]
    assert {r for _, r, _ in recorder.events} == {result.run_id}


def test_preflight_fail_stops_before_any_step(tmp_path: Path) -> None:
    from aim.checks import CheckResult, Status

    ws = make_workspace(tmp_path / "ws")
    recorder = Recorder()
    seen: list[tuple[str, str]] = []

    def check(name: str, mode: str, _ws: object) -> CheckResult:
        seen.append((name, mode))
        return CheckResult(name, Status.FAIL if name == "health" else Status.WARN,
                           f"{name} says no")

    wf = write_workflow(tmp_path, "guarded", """
        version: 1
        name: guarded
        preflight: {health: fail, drift: warn, scan: skip}
        steps:
          - {id: write, uses: file.write, with: {path: x.txt, content: "x"}}
    """)
    result = run(ws, wf, recorder.hooks(preflight=check))
    assert seen == [("health", "fail"), ("drift", "warn")]
    assert result.status == "failed" and result.failed_step == "preflight.health"
    assert result.steps == ()
    assert not (ws.root / "x.txt").exists()
    assert [d["check"] for k, _, d in recorder.events if k == "preflight"] == ["health", "drift"]


def test_preflight_warn_does_not_stop(tmp_path: Path) -> None:
    from aim.checks import CheckResult, Status

    ws = make_workspace(tmp_path / "ws")
    wf = write_workflow(tmp_path, "warned", """
        version: 1
        name: warned
        preflight: {health: warn}
        steps:
          - {id: write, uses: file.write, with: {path: x.txt, content: "x"}}
    """)
    hooks = Recorder().hooks(preflight=lambda n, m, w: CheckResult(n, Status.FAIL, "bad"))
    result = run(ws, wf, hooks)
    assert result.status == "success" and result.preflight[0].status == "fail"
