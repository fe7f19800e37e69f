"""The issue taxonomy is data: a JSON file in resources/, copied into each round and editable there."""

from __future__ import annotations

from importlib import resources

from app.core.domain import TaxonomyNode
from app.core.errors import XunchaError
from app.core.inputs import InputRefused, check_text, parse_json


def parse(text: str) -> list[TaxonomyNode]:
    """Parse a taxonomy file; each node's parent is its code minus the last dotted part."""
    try:
        data = parse_json(text)
    except InputRefused as exc:
        raise XunchaError(f"分类文件不是有效的 JSON：{exc.zh}",
                          f"the taxonomy file is not valid JSON: {exc.en}") from None
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list):
        raise XunchaError("分类文件应含有 nodes 列表", "a taxonomy file needs a list of nodes")
    return from_items(data["nodes"])


def from_items(items: list[dict[str, str]]) -> list[TaxonomyNode]:
    """Check a list of {code, name}: codes unique, dotted, each parent listed before its children."""
    data = {"nodes": items}
    nodes: list[TaxonomyNode] = []
    seen: set[str] = set()
    for index, item in enumerate(data["nodes"]):
        if not isinstance(item, dict):
            raise XunchaError(f"分类第 {index + 1} 项格式不对", f"taxonomy node {index + 1} is not an object")
        code, name = str(item.get("code", "")).strip(), str(item.get("name", "")).strip()
        if not code or not name:
            raise XunchaError(f"分类第 {index + 1} 项缺少编号或名称", f"taxonomy node {index + 1}: no code/name")
        check_text(code, f"分类第 {index + 1} 项的编号", f"taxonomy node {index + 1}: code", multiline=False)
        check_text(name, f"分类第 {index + 1} 项的名称", f"taxonomy node {index + 1}: name", multiline=False)
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
