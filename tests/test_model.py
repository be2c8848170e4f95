"""The contract: valid documents round-trip, invalid ones fail with the JSON path."""

from __future__ import annotations

import json

import pytest

from matrix.errors import ContractError
from matrix.model import SupportMatrix, json_schema
from matrix.sources import snapshot
from tests import factories


def _doc() -> dict:
    return json.loads(snapshot.encode(factories.small()))


def test_round_trip_is_identical() -> None:
    m = factories.small()
    data = snapshot.encode(m)
    again = snapshot.decode(data, "mem")
    assert again == m
    assert snapshot.encode(again) == data


def test_encoding_is_stable_and_ends_with_newline() -> None:
    data = snapshot.encode(factories.small())
    assert data.endswith(b"}\n")
    assert data == snapshot.encode(snapshot.decode(data, "mem"))


@pytest.mark.parametrize(
    ("mutate", "path", "message"),
    [
        (lambda d: d["modules"][2].update(status="gone"), "$.modules[2].status", "Invalid enum value 'gone'"),
        (
            lambda d: d["modules"][0].update(colour="red"),
            "$.modules[0]",
            "Object contains unknown field `colour`",
        ),
        (lambda d: d.update(schema_version=2), "$.schema_version", "Invalid enum value 2"),
        (
            lambda d: d["modules"][1].update(notes=None),
            "$.modules[1]",
            "module 'tools.duckduckgo' is `partial` but has no `notes` saying what is missing",
        ),
        (
            lambda d: d["modules"][3].update(reason=None),
            "$.modules[3]",
            "module 'tools.streamlit' is `wont_port` but has no `reason`",
        ),
        (
            lambda d: d["modules"][0].update(id="models.calculator"),
            "$.modules[0]",
            "`id` 'models.calculator' does not start with its family 'tools' and a dot",
        ),
        (
            lambda d: d["modules"][0].update(id="Tools calc"),
            "$.modules[0].id",
            "Expected `str` matching regex",
        ),
        (
            lambda d: d.update(modules=[]),
            "$",
            "`modules` is empty: a matrix without modules is a failed source, not data",
        ),
        (
            lambda d: d["modules"].append(d["modules"][0]),
            "$",
            "`modules` has the id 'tools.calculator' twice",
        ),
        (
            lambda d: d["modules"][0].update(coverage={"ported": 3, "total": 2}),
            "$.modules[0].coverage",
            "`ported` (3) is greater than `total` (2)",
        ),
    ],
)
def test_invalid_documents_name_the_json_path(mutate, path: str, message: str) -> None:
    doc = _doc()
    mutate(doc)
    with pytest.raises(ContractError) as info:
        snapshot.decode(json.dumps(doc).encode(), "snap.json")
    assert info.value.path == path
    assert message in info.value.message
    assert str(info.value).startswith(f"snap.json at {path}: ")


def test_truncated_json_is_a_contract_error() -> None:
    with pytest.raises(ContractError, match=r"^snap.json: not valid JSON \(Input data was truncated\)$"):
        snapshot.decode(snapshot.encode(factories.small())[:-10], "snap.json")


def test_schema_accepts_what_the_model_writes_and_rejects_unknown_fields() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json_schema()
    assert schema["$schema"].endswith("2020-12/schema")
    doc = _doc()
    jsonschema.validate(doc, schema)
    doc["modules"][0]["colour"] = "red"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, schema)


def test_status_words_readers_see() -> None:
    from matrix.model import Status

    assert Status.NOT_MIGRATED.label == "Not yet in Go"
    assert Status.NOT_MIGRATED.tooltip == "runtime=python-only"
    assert isinstance(factories.small(), SupportMatrix)
