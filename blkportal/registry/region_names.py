"""Matching a kabupaten/kota as people write it to its official Kemendagri code.

Spreadsheets write "Kab. Labuhan Batu", "KABUPATEN LABUHANBATU", "Labuhanbatu" or "12.10" for the
same regency. A name is reduced to its kind (kabupaten or kota, when written) and its letters and
digits only, so spacing, case, dots and "Labuhan Batu" / "Labuhanbatu" do not matter. A name that
fits both a kabupaten and a kota of the same name ("Bandung") is ambiguous and is refused with both
as suggestions; an unknown name comes with the closest official names.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from .models import Regency

KINDS = (("kabupaten", "kab"), ("kab", "kab"), ("kota", "kota"), ("kotamadya", "kota"))
CODE_RE = re.compile(r"^\d{2}\.\d{2}$")


def _key(name: str) -> tuple[str | None, str]:
    text = re.sub(r"[^a-z0-9 ]+", " ", (name or "").lower()).split()
    kind = None
    if text and text[0] in dict(KINDS):
        kind = dict(KINDS)[text[0]]
        text = text[1:]
    return kind, "".join(text)


@dataclass
class Match:
    regency: Regency | None
    suggestions: list[str]


class RegencyMatcher:
    """Loads the 514 regencies once; match() is then a dictionary lookup."""

    def __init__(self):
        self.by_code = {r.code: r for r in Regency.objects.select_related("province")}
        self.by_key: dict[tuple[str, str], Regency] = {}
        self.by_bare: dict[str, list[Regency]] = {}
        for regency in self.by_code.values():
            kind, bare = _key(regency.name)
            self.by_key[(kind, bare)] = regency
            self.by_bare.setdefault(bare, []).append(regency)

    def label(self, regency: Regency) -> str:
        return f"{regency.name} ({regency.code}, {regency.province.name})"

    def match(self, text: str) -> Match:
        text = (text or "").strip()
        if CODE_RE.match(text):
            regency = self.by_code.get(text)
            return Match(regency, [] if regency else [])
        kind, bare = _key(text)
        if kind:
            regency = self.by_key.get((kind, bare))
            if regency:
                return Match(regency, [])
        else:
            found = self.by_bare.get(bare, [])
            if len(found) == 1:
                return Match(found[0], [])
            if len(found) > 1:
                return Match(None, [self.label(r) for r in found])
        close = difflib.get_close_matches(bare, list(self.by_bare), n=3, cutoff=0.75)
        return Match(None, [self.label(r) for b in close for r in self.by_bare[b]][:3])
