"""Command models, one module per receiving service. Importing this package registers them all."""

from __future__ import annotations

from contracts.commands.customer_service import (
    OpenComplaint,
)
from contracts.commands.logistics import (
    RecordScan,
)
from contracts.commands.production import (
    ReceiveMaterials,
    ReportProgress,
)
from contracts.commands.sales import (
    AmendOrder,
    CancelOrder,
    RecordPayment,
    SignConfirmation,
    SubmitOrder,
)
from contracts.commands.warehouse import (
    ConfirmPack,
    ConfirmPick,
)

__all__ = [
    "AmendOrder",
    "CancelOrder",
    "ConfirmPack",
    "ConfirmPick",
    "OpenComplaint",
    "ReceiveMaterials",
    "RecordPayment",
    "RecordScan",
    "ReportProgress",
    "SignConfirmation",
    "SubmitOrder",
]
