"""Built-in methods: every one loads, validates and can be run start to finish; broken files say what is wrong."""

import pytest

from app.methods import MethodError, builtin_methods, load_method
from app.services import accounts, steps, workshops
from app.services.kinds import get_kind


def test_every_builtin_method_loads_with_valid_step_settings():
    methods = builtin_methods()
    assert {"leer-elkaar-kennen", "startgesprek", "verhelderen"} <= set(methods)
    for method in methods.values():
        for step in method.steps:
            assert get_kind(step.kind).parse_config(step.config) == step.config
            assert step.facilitator_notes, f"{method.key}: every step has facilitator notes"


@pytest.mark.parametrize("key", sorted(builtin_methods()))
async def test_a_builtin_method_runs_start_to_finish(db, key):
    anna = await accounts.create_facilitator(db, email="anna@example.nl", name="Anna", password="correct horse 12")
    w = await workshops.create_workshop(db, owner_id=anna.id, title=key, method_key=key)
    agenda = await workshops.list_steps(db, workshop_id=w.id)
    assert [(s.kind, s.config) for s in agenda] == [(s.kind, s.config) for s in builtin_methods()[key].steps]
    await workshops.start_workshop(db, workshop=w)
    for step in agenda[1:]:
        await workshops.go_relative(db, workshop=w, offset=1)
        assert w.current_step_id == step.id
        await steps.set_step_open(db, workshop=w, step_id=step.id, is_open=False)
    await workshops.close_workshop(db, workshop=w)


def test_broken_method_files_name_the_problem(tmp_path):
    bad_yaml = tmp_path / "kapot.yaml"
    bad_yaml.write_text("key: kapot\ntitle: [niet afgesloten\n")
    with pytest.raises(MethodError, match="kapot.yaml"):
        load_method(bad_yaml)
    bad_poll = tmp_path / "poll.yaml"
    bad_poll.write_text("key: p\ntitle: P\nsteps:\n  - kind: poll\n    prompt: Kies\n    config: {options: [Alleen]}\n")
    with pytest.raises(MethodError, match="options"):
        load_method(bad_poll)
