"""Join tagged PDFs into one that stays tagged: pages, and the structure tree a screen reader follows.

A batch is rendered in chunks (one WeasyPrint document each). Copying only the pages, as most PDF tools do,
drops each chunk's structure tree and language, so the joined PDF would be untagged. Here every chunk's
top-level structure elements go under one Document element, and the page keys of each chunk's parent tree
(/StructParents of pages, /StructParent of link annotations) move past those of the chunks before it.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, NumberTree


def merge_tagged(parts: Sequence[bytes]) -> pikepdf.Pdf:
    """One PDF with the pages of `parts` in order, their structure trees under one Document element."""
    merged = pikepdf.new()
    root = merged.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    document = merged.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, P=root, K=Array()))
    parent_tree = NumberTree.new(merged)
    next_key = 0
    tagged = True
    for number, part in enumerate(parts):
        source = pikepdf.open(BytesIO(part))
        if number == 0:
            for entry in ("/Lang", "/MarkInfo", "/ViewerPreferences"):
                if entry in source.Root:
                    merged.Root[entry] = _copy(merged, source.Root[entry])
        first_page = len(merged.pages)
        merged.pages.extend(source.pages)
        tree = source.Root.get("/StructTreeRoot")
        if tree is None:
            tagged = False
            continue
        offset = next_key
        for page in merged.pages[first_page:]:
            _shift_keys(page.obj, offset)
        for key, value in NumberTree(tree.ParentTree).items():
            shifted = int(key) + offset
            parent_tree[shifted] = _copy(merged, value)
            next_key = max(next_key, shifted + 1)
        for element in _children(_copy(merged, tree.K)):
            element.P = document
            document.K.append(element)
        for entry in ("/RoleMap", "/ClassMap"):
            if number == 0 and entry in tree:
                root[entry] = _copy(merged, tree[entry])
    if tagged:
        root.K = Array([document])
        root.ParentTree = parent_tree.obj
        root.ParentTreeNextKey = next_key
        merged.Root.StructTreeRoot = root
    return merged


def _children(top: pikepdf.Object) -> list[pikepdf.Object]:
    """The elements under a chunk's root: its Document element's children, or the root's own kids."""
    kids = list(top) if isinstance(top, Array) else [top]
    if len(kids) == 1 and kids[0].get("/S") == Name.Document:
        inner = kids[0].get("/K", Array())
        return list(inner) if isinstance(inner, Array) else [inner]
    return kids


def _shift_keys(page: pikepdf.Object, offset: int) -> None:
    """Move a page's parent-tree keys (its own and its annotations') by `offset`."""
    if "/StructParents" in page:
        page.StructParents = int(page.StructParents) + offset
    for annotation in page.get("/Annots", Array()):
        if "/StructParent" in annotation:
            annotation.StructParent = int(annotation.StructParent) + offset


def _copy(merged: pikepdf.Pdf, value: Any) -> Any:
    """`value` from another PDF into `merged`: indirect objects once each (pikepdf maps them per source),
    direct arrays and dictionaries item by item, plain values (pikepdf gives them as Python's) as they are."""
    if not isinstance(value, pikepdf.Object):
        return value
    if value.is_indirect:
        return merged.copy_foreign(value)
    if isinstance(value, Array):
        return Array([_copy(merged, item) for item in value])
    if isinstance(value, Dictionary):
        return Dictionary({key: _copy(merged, item) for key, item in value.items()})
    return value
