"""Document templates are data (resources/templates/KIND.json): the title, the blocks and the tables of a
document, with {placeholders} filled from the values the app gathers. See docs/documents.md.

A block is an object with a "type": head1..head4, body, plain, signature ("text" or "lines"), table
("columns" of {head, width, value} and "rows": the name of a list), or each ("items": the name of a list,
"blocks" for every item, "empty" when there is none). Any block may carry "if": NAME (kept only when
NAME's value is non-empty). Inside a loop the item's values come first, then `n` (1, 2, …) and `n_cn`
(一, 二, …), then the outer values. `{{` and `}}` are literal braces.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from app.core.errors import XunchaError
from exports.document import Block, BlockKind, Column, Document

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TEXT_BLOCKS = {"head1", "head2", "head3", "head4", "body", "plain"}
_CN_DIGITS = "零一二三四五六七八九"


class TemplateError(XunchaError):
    """A template that cannot be used: bad JSON, an unknown block or an unknown placeholder."""


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 23 → 二十三 (heads rarely pass 99)."""
    if n < 10:
        return _CN_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")
    return str(n)


@dataclass(frozen=True)
class Template:
    name: str
    data: Mapping[str, Any]

    @classmethod
    def load(cls, name: str) -> Template:
        """The template resources/templates/NAME.json."""
        try:
            text = resources.files("resources").joinpath(f"templates/{name}.json").read_text(encoding="utf-8")
        except (FileNotFoundError, OSError) as exc:
            raise TemplateError(f"找不到文书模板：{name}", f"no document template {name}") from exc
        return cls.parse(name, text)

    @classmethod
    def parse(cls, name: str, text: str) -> Template:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise TemplateError(f"文书模板 {name} 不是有效的 JSON：第 {exc.lineno} 行，{exc.msg}",
                                f"template {name} is not valid JSON: line {exc.lineno}, {exc.msg}") from exc
        if not isinstance(data, dict) or not isinstance(data.get("title"), str) \
                or not isinstance(data.get("blocks"), list):
            raise TemplateError(f"文书模板 {name} 须有 title 和 blocks", f"template {name} needs a title and blocks")
        return cls(name, data)

    def render(self, values: Mapping[str, Any]) -> Document:
        """Fill the template with `values`; an unknown placeholder or block is a TemplateError naming it."""
        scope = [values]
        blocks: list[Block] = []
        self._blocks(self.data["blocks"], scope, blocks)
        return Document(
            title=self._fill(self.data["title"], scope),
            subtitle=self._fill(self.data.get("subtitle", ""), scope),
            classification=self._fill(self.data.get("classification", ""), scope),
            notice=self._fill(self.data.get("notice", ""), scope),
            blocks=tuple(blocks),
        )

    # ---- expansion ---------------------------------------------------------------------------------------

    def _blocks(self, specs: Sequence[Any], scope: list[Mapping[str, Any]], out: list[Block]) -> None:
        for spec in specs:
            if not isinstance(spec, dict) or not isinstance(spec.get("type"), str):
                raise TemplateError(f"文书模板 {self.name} 中有一项缺少 type",
                                    f"template {self.name}: a block has no type")
            if "if" in spec and not self._lookup(str(spec["if"]), scope):
                continue
            kind = spec["type"]
            if kind in _TEXT_BLOCKS:
                for paragraph in self._fill(str(spec.get("text", "")), scope).splitlines():
                    if paragraph.strip():
                        out.append(Block(BlockKind(kind), paragraph.strip()))
            elif kind == "signature":
                lines = spec.get("lines", [spec.get("text", "")])
                out.append(Block(BlockKind.SIGNATURE, "\n".join(self._fill(str(line), scope) for line in lines)))
            elif kind == "table":
                out.append(self._table(spec, scope))
            elif kind == "datatable":
                out.extend(self._datatable(spec, scope))
            elif kind == "each":
                items = self._list(spec.get("items"), scope)
                if not items:
                    self._blocks(spec.get("empty", []), scope, out)
                for n, item in enumerate(items, 1):
                    self._blocks(spec.get("blocks", []), [item, {"n": n, "n_cn": chinese_number(n)}, *scope], out)
            else:
                raise TemplateError(f"文书模板 {self.name} 中有未知的块类型：{kind}",
                                    f"template {self.name}: unknown block type {kind}")

    def _table(self, spec: Mapping[str, Any], scope: list[Mapping[str, Any]]) -> Block:
        columns = spec.get("columns")
        if not isinstance(columns, list) or not columns:
            raise TemplateError(f"文书模板 {self.name} 中的表格须有 columns",
                                f"template {self.name}: a table needs columns")
        heads = tuple(Column(self._fill(str(c.get("head", "")), scope), float(c.get("width", 1))) for c in columns)
        rows = []
        for n, item in enumerate(self._list(spec.get("rows"), scope), 1):
            row_scope = [item, {"n": n, "n_cn": chinese_number(n)}, *scope]
            rows.append(tuple(self._fill(str(c.get("value", "")), row_scope) for c in columns))
        return Block(BlockKind.TABLE, columns=heads, rows=tuple(rows))

    def _datatable(self, spec: Mapping[str, Any], scope: list[Mapping[str, Any]]) -> list[Block]:
        """A table whose columns come with the data ({columns, rows, chart}), e.g. a questionnaire's tally."""
        data = self._lookup(str(spec.get("table")), scope, required=True)
        if not isinstance(data, Mapping) or not isinstance(data.get("columns"), list):
            raise TemplateError(f"文书模板 {self.name} 中的 {spec.get('table')} 不是表格",
                                f"template {self.name}: {spec.get('table')} is not a table")
        heads = [str(c) for c in data["columns"]]
        widths = [1.0 if h == "序号" else (2.4 if i == 0 else 1.0) for i, h in enumerate(heads)]
        blocks = [Block(BlockKind.TABLE, columns=tuple(Column(h, w) for h, w in zip(heads, widths, strict=True)),
                        rows=tuple(tuple(str(c) for c in row) for row in data.get("rows", [])))]
        if data.get("chart") is not None:
            blocks.append(Block(BlockKind.CHART, chart=data["chart"]))
        return blocks

    def _list(self, name: Any, scope: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
        value = self._lookup(str(name), scope, required=True)
        if not isinstance(value, list):
            raise TemplateError(f"文书模板 {self.name} 中的 {name} 不是列表",
                                f"template {self.name}: {name} is not a list")
        return value

    def _lookup(self, name: str, scope: list[Mapping[str, Any]], required: bool = False) -> Any:
        for level in scope:
            if name in level:
                return level[name]
        if required:
            raise self._unknown(name)
        return None

    def _unknown(self, name: str) -> TemplateError:
        return TemplateError(f"文书模板 {self.name} 中的占位符 {{{name}}} 无对应内容",
                             f"template {self.name}: unknown placeholder {{{name}}}")

    def _fill(self, text: str, scope: list[Mapping[str, Any]]) -> str:
        def one(match: re.Match[str]) -> str:
            token = match.group(0)
            if token in ("{{", "}}"):
                return token[0]
            name = match.group(1).strip()
            if not _NAME.fullmatch(name):
                raise self._unknown(name)
            for level in scope:
                if name in level:
                    value = level[name]
                    return "" if value is None else str(value)
            raise self._unknown(name)

        return _PLACEHOLDER.sub(one, text)
