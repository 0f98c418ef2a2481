"""Monthly reports (laporan bulanan), training batches and the review workflow's records.

Section A (training) lives in TrainingBatch: one record per angkatan that successive reports show
(a report shows the batches active in its month). Section B (alumni outcomes) is a snapshot of the
centre's alumni as at the end of the report's month (stock, not flow). Section C holds kelembagaan
and money (Rp, whole rupiah); partnerships and income lines are child rows. Section D products,
E problems and F evidence files are child rows too.

Models guard integrity; the workflow lives in reporting/services/.
"""

from .batches import FundingSource, TrainingBatch
from .evidence import EvidenceFile, EvidenceKind, PrivateStorage, evidence_storage, evidence_upload_to
from .reports import (
    MONEY,
    IncomeSource,
    PartnerType,
    PermitStatus,
    ProblemCategory,
    Report,
    ReportIncome,
    ReportPartnership,
    ReportProblem,
    ReportProduct,
    SalesChannel,
)
from .workflow import CorrectionRequest, ReminderKind, ReminderLog, ReportComment, ReportTransition, TransitionAction

__all__ = [
    "MONEY",
    "CorrectionRequest",
    "EvidenceFile",
    "EvidenceKind",
    "FundingSource",
    "IncomeSource",
    "PartnerType",
    "PermitStatus",
    "PrivateStorage",
    "ProblemCategory",
    "ReminderKind",
    "ReminderLog",
    "Report",
    "ReportComment",
    "ReportIncome",
    "ReportPartnership",
    "ReportProblem",
    "ReportProduct",
    "ReportTransition",
    "SalesChannel",
    "TrainingBatch",
    "TransitionAction",
    "evidence_storage",
    "evidence_upload_to",
]
