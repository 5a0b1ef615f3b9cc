"""The strict loader: plain data or a located error, never a silent surprise."""

from __future__ import annotations

import pytest

from ai_governance.errors import PolicyError
from ai_governance.policy.yamlsafe import MAX_BYTES, Mark, load


def problems(text: str | bytes) -> list[str]:
    raw = text.encode() if isinstance(text, str) else text
    with pytest.raises(PolicyError) as caught:
        load(raw, "p.yml")
    return list(caught.value.problems)


def test_plain_data_with_positions() -> None:
    doc = load(b"version: 1\nrules:\n  - id: a\n    kind: review\n", "p.yml")
    assert doc.data == {"version": 1, "rules": [{"id": "a", "kind": "review"}]}
    assert doc.values[("rules", 0, "kind")] == Mark(4, 11)
    assert doc.keys[("rules", 0, "kind")] == Mark(4, 5)
    assert doc.where(("rules", 0, "missing")) == "p.yml:3:5"


def test_dates_stay_text_and_yaml11_surprises_are_recorded() -> None:
    doc = load(b"until: 2027-01-15\nmode: off\nperm: 0755\ntime: 1:20\nok: true\n", "p.yml")
    assert doc.data == {"until": "2027-01-15", "mode": False, "perm": 493, "time": 80, "ok": True}
    assert doc.surprises == {("mode",): "off", ("perm",): "0755", ("time",): "1:20"}


def test_quoted_scalars_are_text() -> None:
    assert load(b"mode: 'off'\nv: \"1\"\n", "p.yml").data == {"mode": "off", "v": "1"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "rules: []\nrules: [1]\n",
            ["p.yml:2:1: duplicate key 'rules' (first at line 1, column 1)"],
        ),
        (
            "a: &x [1]\nb: *x\n",
            ["p.yml:1:4: anchors are not allowed (&x)", "p.yml:2:4: aliases are not allowed (*x)"],
        ),
        (
            "a: !!python/object:os.system x\n",
            ["p.yml:1:4: tags are not allowed (tag:yaml.org,2002:python/object:os.system)"],
        ),
        ("a: !!str 0755\n", ["p.yml:1:4: tags are not allowed (tag:yaml.org,2002:str)"]),
        ("1: a\n", ["p.yml:1:1: key '1' is read by YAML as 1, not text: quote it"]),
        ("on: a\n", ["p.yml:1:1: key 'on' is read by YAML as True, not text: quote it"]),
        ("[a]: b\n", ["p.yml:1:1: mapping keys must be plain strings"]),
        ("a: 1\n---\nb: 2\n", ["p.yml:2:1: only one YAML document is allowed per policy"]),
        (
            "",
            [
                "p.yml:1:1: the policy is empty; write one (docs/policy.md) or remove the file to use the embedded default policy"
            ],
        ),
        (
            "# only a comment\n",
            [
                "p.yml:1:1: the policy is empty; write one (docs/policy.md) or remove the file to use the embedded default policy"
            ],
        ),
        (
            "a:\n\t- b\n",
            [
                "p.yml:2:1: invalid YAML: found character that cannot start any token"
                " (a tab: YAML indents with spaces)"
            ],
        ),
        ("a: [1, 2\n", ["p.yml:2:1: invalid YAML: did not find expected ',' or ']'"]),
    ],
)
def test_refused(text: str, expected: list[str]) -> None:
    assert problems(text) == expected


def test_alias_bomb_is_refused_before_any_expansion() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)
    )
    found = problems(bomb)
    assert found[0] == "p.yml:1:4: anchors are not allowed (&a)"
    assert len(found) == 1 + 8 * 4


def test_depth_and_size_caps() -> None:
    assert problems("a: " + "[" * 40 + "]" * 40 + "\n") == [
        "p.yml:1:35: nesting deeper than 32 levels"
    ]
    assert problems(b"a: b\n" + b"#" * MAX_BYTES) == [
        f"p.yml:1:1: file is {MAX_BYTES + 5} bytes, over the cap of {MAX_BYTES}"
    ]


def test_bytes_that_are_not_text() -> None:
    assert problems(b"name: caf\xe9\n") == [
        "p.yml:1:10: not UTF-8 text (byte 0xe9 cannot be decoded)"
    ]
    assert problems(b"a: b\x00c\n") == ["p.yml:1:5: binary, not text (a NUL byte)"]


def test_byte_order_mark_is_accepted() -> None:
    assert load(b"\xef\xbb\xbfa: b\n", "p.yml").data == {"a": "b"}
