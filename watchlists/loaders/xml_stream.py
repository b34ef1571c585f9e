"""Stream records out of a large XML file safely: defusedxml, no DTD, elements cleared as read."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from watchlists.errors import FormatError
from watchlists.loaders.progress import open_binary


def local(tag: str) -> str:
    """Return a tag without its '{namespace}' prefix."""
    return tag.rpartition("}")[2]


def text(element: Element | None, child: str) -> str | None:
    """Return the stripped text of `child` under `element`, or None when absent or blank."""
    if element is None:
        return None
    found = element.find(child)
    if found is None or found.text is None:
        return None
    return found.text.strip() or None


def texts(element: Element, path: str) -> list[str]:
    """Return the stripped, non-blank texts of every element matching `path`."""
    found = (item.text.strip() for item in element.iterfind(path) if item.text)
    return [value for value in found if value]


# Real records hold tens of elements (a UN INDIVIDUAL about 40, an OFAC sdnEntry a few hundred)
# and nest a few levels deep; a file beyond these is hostile or broken, and refused whole.
MAX_RECORD_ELEMENTS = 10_000
MAX_DEPTH = 64


def iter_records(
    path: Path, record_tags: frozenset[str], *, progress: bool | None = None
) -> Iterator[tuple[Element, int]]:
    """Yield each complete record element (tags without namespace) and its 1-based ordinal.

    A record is cleared and detached once the consumer moves on, and so is every element
    outside a record as soon as it ends, so memory stays flat however long the file is and
    whatever else it holds. Malformed XML raises FormatError with the line and column expat
    reports and the last record read; a DTD or entity declaration is refused outright, and so
    is nesting deeper than MAX_DEPTH or a record of more than MAX_RECORD_ELEMENTS elements.
    """
    ordinal = 0
    last = "before the first record"
    with open_binary(path, desc=path.name, progress=progress) as source:
        stack: list[Element] = []
        open_records = 0
        elements = 0  # in the record being read
        try:
            for event, element in iterparse(source, events=("start", "end"), forbid_dtd=True):
                if event == "start":
                    stack.append(element)
                    if local(element.tag) in record_tags:
                        open_records += 1
                        elements = 0
                    elements += 1
                    _check_size(path, stack, open_records, elements, last)
                    continue
                stack.pop()
                element.tag = local(element.tag)
                if element.tag not in record_tags:
                    if not open_records:  # outside every record: nothing will read it
                        _drop(element, stack)
                    continue
                open_records -= 1
                ordinal += 1
                last = f"after {element.tag} #{ordinal}"
                yield element, ordinal
                _drop(element, stack)
        except ParseError as exc:
            line, column = exc.position
            location = f"line {line}, column {column} ({last})"
            raise FormatError(f"malformed XML: {exc}", path=str(path), location=location) from exc
        except DefusedXmlException as exc:
            raise FormatError(f"refused XML construct: {exc}", path=str(path)) from exc


def _drop(element: Element, stack: list[Element]) -> None:
    element.clear()
    if stack:
        stack[-1].remove(element)


def _check_size(
    path: Path, stack: list[Element], open_records: int, elements: int, last: str
) -> None:
    if len(stack) > MAX_DEPTH:
        reason = f"elements nested more than {MAX_DEPTH} deep"
        raise FormatError(reason, path=str(path), location=f"in <{local(stack[-1].tag)}> ({last})")
    if open_records and elements > MAX_RECORD_ELEMENTS:
        reason = f"a record of more than {MAX_RECORD_ELEMENTS} elements"
        raise FormatError(reason, path=str(path), location=last)


def read_head(path: Path, stop_tags: frozenset[str]) -> Element | None:
    """Return the root element with everything read before the first of `stop_tags` starts."""
    root: Element | None = None
    with open_binary(path, desc=path.name, progress=False) as source:
        try:
            for event, element in iterparse(source, events=("start", "end"), forbid_dtd=True):
                if root is None:
                    root = element
                if event == "end":
                    element.tag = local(element.tag)
                elif local(element.tag) in stop_tags:
                    break
        except ParseError as exc:
            line, column = exc.position
            location = f"line {line}, column {column}"
            raise FormatError(f"malformed XML: {exc}", path=str(path), location=location) from exc
        except DefusedXmlException as exc:
            raise FormatError(f"refused XML construct: {exc}", path=str(path)) from exc
    return root
