"""Bill of materials: what a work order needs, and what is short.

A work order takes its raw materials all at once when it is scheduled. When any is short it
takes none, a material requisition goes to purchasing for what is missing, and the work order
cannot start until the materials are received.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class BomItem:
    material_code: str
    quantity_per_piece: Decimal
    unit: str


@dataclass(frozen=True)
class MaterialNeed:
    material_code: str
    quantity: Decimal
    unit: str


def requirement(bom: list[BomItem], pieces: int) -> list[MaterialNeed]:
    return [
        MaterialNeed(item.material_code, item.quantity_per_piece * pieces, item.unit)
        for item in bom
    ]


def shortages(needs: list[MaterialNeed], on_hand: Mapping[str, Decimal]) -> list[MaterialNeed]:
    """What is missing of each material (need minus free stock), only where something is."""
    short = []
    for need in needs:
        missing = need.quantity - on_hand.get(need.material_code, Decimal(0))
        if missing > 0:
            short.append(MaterialNeed(need.material_code, missing, need.unit))
    return short
