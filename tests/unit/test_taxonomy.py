"""The issue taxonomy parser: dotted codes, parents before children, the default file."""

from __future__ import annotations

import json

import pytest

from app.core import taxonomy
from app.core.errors import XunchaError


def _taxonomy(*nodes: dict[str, str]) -> str:
    return json.dumps({"nodes": list(nodes)}, ensure_ascii=False)


def test_taxonomy_parses_parents_from_dotted_codes() -> None:
    nodes = taxonomy.parse(_taxonomy(
        {"code": "1", "name": "党的领导弱化"},
        {"code": "1.1", "name": "贯彻落实决策部署不到位"},
        {"code": "1.1.1", "name": "学习传达不及时"},
    ))
    assert [(n.code, n.parent_code) for n in nodes] == [("1", None), ("1.1", "1"), ("1.1.1", "1.1")]


def test_taxonomy_refuses_a_missing_parent() -> None:
    text = _taxonomy({"code": "1", "name": "党的领导弱化"}, {"code": "2.1", "name": "选人用人问题"})
    with pytest.raises(XunchaError, match="上级 2 不存在"):
        taxonomy.parse(text)


def test_taxonomy_refuses_a_child_before_its_parent() -> None:
    text = _taxonomy({"code": "1.1", "name": "贯彻落实决策部署不到位"}, {"code": "1", "name": "党的领导弱化"})
    with pytest.raises(XunchaError, match="上级"):
        taxonomy.parse(text)


def test_taxonomy_refuses_a_duplicate_code() -> None:
    text = _taxonomy(
        {"code": "1", "name": "党的领导弱化"},
        {"code": "1.1", "name": "贯彻落实决策部署不到位"},
        {"code": "1.1", "name": "又一个"},
    )
    with pytest.raises(XunchaError, match=r"编号重复：1\.1"):
        taxonomy.parse(text)


@pytest.mark.parametrize("node", [{"code": "", "name": "无编号"}, {"code": "1", "name": "  "}, {"name": "x"}])
def test_taxonomy_refuses_a_node_without_code_or_name(node: dict[str, str]) -> None:
    with pytest.raises(XunchaError, match="缺少编号或名称"):
        taxonomy.parse(_taxonomy(node))


def test_default_taxonomy_has_the_three_big_problems_on_top() -> None:
    nodes = taxonomy.default_taxonomy()
    top = [n.name for n in nodes if n.parent_code is None]
    assert top == ["党的领导弱化", "党的建设缺失", "全面从严治党不力"]
    assert len({n.code for n in nodes}) == len(nodes)
