"""``docs/actions.md``: the action catalogue as a page, generated from the registry itself."""

from __future__ import annotations

from aim.actions.registry import ActionSpec, load_catalog

HEADER = """# Actions

<!-- Generated from the action registry by `invoke docs`; do not edit by hand.
     A test fails when this page and the registry disagree. -->

Every workflow step `uses:` one of these actions and gives its parameters under `with:`.
Paths are relative to the workspace root; the loader checks every step's parameters (names,
required ones, types) before anything runs.
"""


def _default(value: object) -> str:
    return "—" if value is None else f"`{value!r}`".replace("'", '"')


def _section(spec: ActionSpec) -> list[str]:
    lines = [f"## `{spec.name}`", ""]
    lines += spec.doc.splitlines() or ["(no description)"]
    lines += ["", "| parameter | type | required | default |", "| --- | --- | --- | --- |"]
    for p in spec.params:
        kind = p.type + (" or null" if p.nullable else "")
        lines.append(f"| `{p.name}` | {kind} | {'yes' if p.required else 'no'} | "
                     f"{'' if p.required else _default(p.default)} |")
    if not spec.params:
        lines.append("| (none) | | | |")
    outputs = ", ".join(f"`{o}`" for o in spec.outputs) or "none"
    lines += ["", f"Outputs: {outputs}.", ""]
    return lines


def render_actions_md() -> str:
    """The whole page, sorted by action name."""
    catalog = load_catalog()
    lines = [HEADER]
    lines += [f"- [`{name}`](#{name.replace('.', '')})" for name in sorted(catalog)]
    lines.append("")
    for name in sorted(catalog):
        lines += _section(catalog[name])
    return "\n".join(lines).rstrip() + "\n"
