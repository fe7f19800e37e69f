"""The issue taxonomy is data: a JSON file in resources/, copied into each round and editable there."""

from __future__ import annotations

import json
from importlib import resources

from app.domain import TaxonomyNode
from app.errors import XunchaError


def parse(text: str) -> list[TaxonomyNode]:
    """Parse a taxonomy file; each node's parent is its code minus the last dotted part."""
    data = json.loads(text)
    nodes: list[TaxonomyNode] = []
    seen: set[str] = set()
    for index, item in enumerate(data.get("nodes", [])):
        code, name = str(item.get("code", "")).strip(), str(item.get("name", "")).strip()
        if not code or not name:
            raise XunchaError(f"分类第 {index + 1} 项缺少编号或名称", f"taxonomy node {index + 1}: no code/name")
        parent = code.rpartition(".")[0] or None
        if parent is not None and parent not in seen:
            raise XunchaError(f"分类“{name}”的上级 {parent} 不存在", f"taxonomy {code}: unknown parent {parent}")
        if code in seen:
            raise XunchaError(f"分类编号重复：{code}", f"duplicate taxonomy code {code}")
        seen.add(code)
        nodes.append(TaxonomyNode(code=code, name=name, parent_code=parent))
    return nodes


def default_taxonomy() -> list[TaxonomyNode]:
    text = resources.files("resources").joinpath("taxonomy/default.json").read_text(encoding="utf-8")
    return parse(text)
