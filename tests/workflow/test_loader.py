"""Every load error names file, line and key path, and nothing runs."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from aim.errors import ExitCode, NotFound, WorkflowError
from aim.workflow.loader import load_workflow


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(WorkflowError) as caught:
        load_workflow(str(path))
    assert caught.value.exit_code == ExitCode.BAD_INPUT
    return str(caught.value)


def test_valid_workflow_loads_frozen(tmp_path: Path) -> None:
    path = write(tmp_path, "ok", """
        version: 1
        name: ok
        vars: {target: out.txt}
        steps:
          - id: write
            uses: file.write
            with: {path: "${{ vars.target }}", content: hi}
          - id: show
            uses: echo
            with: {message: "${{ steps.write.outputs.path }}"}
            when: "${{ steps.write.outputs.path }}"
    """)
    wf = load_workflow(str(path))
    assert [s.id for s in wf.steps] == ["write", "show"]
    assert wf.on_failure == "rollback"
    with pytest.raises(TypeError):
        wf.steps[0].params["path"] = "other"  # type: ignore[index]


def test_misspelled_action_suggests_nearest(tmp_path: Path) -> None:
    path = write(tmp_path, "typo", """
        version: 1
        name: typo
        steps:
          - id: one
            uses: echo
          - id: two
            uses: fille.write
            with: {path: a, content: b}
    """)
    message = error_of(path)
    assert message.startswith(f"{path}:7: steps[1].uses: unknown action 'fille.write' "
                              "(did you mean 'file.write'?); known actions: ")


def test_unknown_key_names_line_and_path(tmp_path: Path) -> None:
    path = write(tmp_path, "unknown", """
        version: 1
        name: unknown
        steps:
          - id: one
            uses: echo
            retry: 3
    """)
    assert error_of(path) == (
        f"{path}:6: steps[0].retry: unknown key 'retry' (did you mean 'retries'?); allowed "
        "here: always, continue_on_error, id, retries, timeout, uses, when, with, workflow")


def test_unknown_top_level_key(tmp_path: Path) -> None:
    path = write(tmp_path, "top", """
        version: 1
        name: top
        on_faillure: stop
        steps:
          - {id: one, uses: echo}
    """)
    assert error_of(path).startswith(
        f"{path}:3: on_faillure: unknown key 'on_faillure' (did you mean 'on_failure'?)")


def test_duplicate_step_ids(tmp_path: Path) -> None:
    path = write(tmp_path, "dup", """
        version: 1
        name: dup
        steps:
          - {id: one, uses: echo}
          - {id: one, uses: echo}
    """)
    assert error_of(path) == (f"{path}:5: steps[1].id: duplicate step id 'one' (also "
                              "steps[0]); ids must be unique")


def test_duplicate_yaml_keys_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, "dupkey", """
        version: 1
        name: dupkey
        steps:
          - id: one
            uses: echo
            uses: shell
    """)
    assert error_of(path) == (f"{path}:6: steps[0].uses: duplicate key (first given on "
                              "line 5); keep one of them")


def test_reference_to_later_step(tmp_path: Path) -> None:
    path = write(tmp_path, "later", """
        version: 1
        name: later
        steps:
          - id: first
            uses: echo
            with: {message: "${{ steps.second.outputs.message }}"}
          - {id: second, uses: echo}
    """)
    assert error_of(path) == (
        f"{path}:6: steps[0].with: 'steps.second.outputs.message': step 'second' runs later "
        "or does not exist; a step can use only the outputs of steps before it")


def test_reference_to_undeclared_output(tmp_path: Path) -> None:
    path = write(tmp_path, "output", """
        version: 1
        name: output
        steps:
          - {id: first, uses: echo}
          - id: second
            uses: echo
            with: {message: "${{ steps.first.outputs.mesage }}"}
    """)
    assert error_of(path) == (
        f"{path}:7: steps[1].with: 'steps.first.outputs.mesage': action 'echo' gives no "
        "output 'mesage' (did you mean 'message'?); it gives message")


def test_unknown_var_and_bad_root(tmp_path: Path) -> None:
    path = write(tmp_path, "vars", """
        version: 1
        name: vars
        vars: {target: x}
        steps:
          - id: one
            uses: echo
            with: {message: "${{ vars.targt }}"}
          - id: two
            uses: echo
            with: {message: "${{ secrets.X }}"}
    """)
    message = error_of(path)
    assert f"{path}:7: steps[0].with: 'vars.targt': no var 'targt' (did you mean " \
           "'target'?); declare it under vars:" in message
    assert f"{path}:10: steps[1].with: '${{{{ secrets.X }}}}': unknown root 'secrets'; use " \
           "one of vars, steps, run, env, inputs" in message


def test_params_checked_at_load_time(tmp_path: Path) -> None:
    path = write(tmp_path, "params", """
        version: 1
        name: params
        steps:
          - {id: one, uses: echo}
          - id: two
            uses: file.write
            with:
              path: a.txt
              contnet: hi
          - id: three
            uses: shell
            with: {run: "true", timeout: soon}
    """)
    message = error_of(path)
    assert (f"{path}:9: steps[1].with.contnet: action 'file.write' has no parameter "
            "'contnet' (did you mean 'content'?); it takes: path, content, mode") in message
    assert (f"{path}:7: steps[1].with: action 'file.write' needs parameter 'content' "
            "(string)") in message
    assert f"{path}:12: steps[2].with.timeout: must be a number, not a string" in message


def test_step_needs_uses_or_workflow(tmp_path: Path) -> None:
    path = write(tmp_path, "neither", """
        version: 1
        name: neither
        steps:
          - id: one
            when: true
    """)
    assert error_of(path) == (
        f"{path}:4: steps[0]: a step needs exactly one of 'uses' (an action, with its 'with' "
        "parameters) or 'workflow' (another workflow file)")


def test_wrong_types_and_version(tmp_path: Path) -> None:
    path = write(tmp_path, "types", """
        version: 2
        name: types
        on_failure: retry
        steps:
          - {id: one, uses: echo, retries: many}
    """)
    message = error_of(path)
    assert f"{path}:1: version: must be 1, not 2" in message
    assert f"{path}:3: on_failure: 'retry' is not allowed; use one of 'rollback', 'stop'" \
        in message
    assert f"{path}:5: steps[0].retries: must be a whole number, not a string" in message


def test_invalid_yaml_names_line(tmp_path: Path) -> None:
    path = write(tmp_path, "broken", """
        version: 1
        name: broken
        steps: [
          {id: one, uses: echo}
        oops: 1
    """)
    assert error_of(path).startswith(f"{path}:5: invalid YAML: ")


def test_cycle_between_workflow_files(tmp_path: Path) -> None:
    write(tmp_path, "a", """
        version: 1
        name: a
        steps:
          - {id: call-b, workflow: b}
    """)
    b = write(tmp_path, "b", """
        version: 1
        name: b
        steps:
          - {id: call-a, workflow: a}
    """)
    message = error_of(tmp_path / "a.yaml")
    assert message == (f"{b}:4: steps[0].workflow: workflow cycle: a.yaml → b.yaml → a.yaml; "
                       "a workflow cannot run itself, directly or through another")


def test_nested_workflow_loads(tmp_path: Path) -> None:
    write(tmp_path, "child", """
        version: 1
        name: child
        steps:
          - {id: hello, uses: echo, with: {message: hi}}
    """)
    parent = write(tmp_path, "parent", """
        version: 1
        name: parent
        steps:
          - {id: sub, workflow: child}
    """)
    wf = load_workflow(str(parent))
    assert wf.steps[0].workflow is not None
    assert wf.steps[0].workflow.steps[0].id == "hello"


def test_unknown_workflow_name() -> None:
    with pytest.raises(NotFound) as caught:
        load_workflow("no-such-workflow")
    assert "no workflow 'no-such-workflow'" in str(caught.value)
