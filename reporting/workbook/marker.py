"""The hidden, signed marker that ties a downloaded workbook to one report.

It sits in cell A1 of a very hidden sheet, signed with the site's secret key (django.core.signing,
its own salt), and says which report, centre and month the file is for, whether it was an editable
copy, the sheets' titles, the batches listed, and a short digest of every value as it was when it was
downloaded. The digests let an upload tell what the manager changed in the file from what someone
changed on the portal meanwhile, without the marker carrying the values themselves. (Older files
also carry the draft's version, last change and download time as "v", "u" and "t"; they are
ignored, so those files still load.)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core import signing
from django.utils.translation import gettext as _

from blkportal.core.errors import DomainError

from ..policy import month_label

SALT = "reporting.workbook.marker"
FORMAT = 1


class MarkerError(DomainError):
    """The file is not (or no longer provably) a workbook of this report."""

    def __init__(self, message: str):
        super().__init__(message, field="file", code="marker")


@dataclass(frozen=True)
class Marker:
    report_id: int
    centre_id: int
    period: dt.date
    editable: bool
    sheets: dict[str, str]
    batches: list[int]
    digests: dict[str, str]


def marker_dumps(report, *, editable: bool, sheets: dict, batches: list[int], digests: dict) -> str:
    payload = {
        "f": FORMAT,
        "r": report.pk,
        "c": report.centre_id,
        "p": report.period.isoformat(),
        "e": editable,
        "s": sheets,
        "b": batches,
        "h": digests,
    }
    return signing.dumps(payload, salt=SALT, compress=True)


def not_ours() -> MarkerError:
    return MarkerError(
        _(
            "Berkas ini bukan lembar kerja laporan yang diunduh dari portal. Unduh lembar kerja dari halaman "
            "laporan ini, isi, lalu unggah berkas itu."
        )
    )


def marker_loads(text) -> Marker:
    if not isinstance(text, str) or not text.strip():
        raise not_ours()
    try:
        data = signing.loads(text.strip(), salt=SALT)
        return Marker(
            report_id=int(data["r"]),
            centre_id=int(data["c"]),
            period=dt.date.fromisoformat(data["p"]),
            editable=bool(data["e"]),
            sheets=dict(data["s"]),
            batches=[int(b) for b in data["b"]],
            digests=dict(data["h"]),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise MarkerError(
            _(
                "Penanda tersembunyi di berkas ini rusak atau telah diubah, sehingga tidak dapat dipastikan "
                "berkas ini milik laporan ini. Unduh ulang lembar kerja dari halaman laporan ini."
            )
        ) from None


def check_marker(marker: Marker, report) -> None:
    """Refuse a file made for another report. Another centre's file is refused without naming
    anything of that centre."""
    same_centre = marker.centre_id == report.centre_id
    if same_centre and marker.period != report.period:
        raise MarkerError(
            _(
                "Berkas ini untuk laporan %(file_month)s, bukan %(month)s. Unggah di halaman laporan "
                "%(file_month)s, atau unduh lembar kerja %(month)s dari halaman ini."
            )
            % {"file_month": month_label(marker.period), "month": month_label(report.period)}
        )
    if not same_centre or marker.report_id != report.pk:
        raise MarkerError(
            _(
                "Berkas ini bukan untuk laporan ini (BLK atau bulannya lain). Unduh lembar kerja dari "
                "halaman laporan ini lalu isi di berkas itu."
            )
        )
    if not marker.editable:
        raise MarkerError(
            _(
                "Berkas ini salinan baca-saja (diunduh ketika laporan tidak dapat diubah), jadi tidak dapat "
                "diunggah. Unduh lembar kerja dari halaman isian laporan."
            )
        )
