"""A proof of delivery is a PDF, JPEG or PNG, and is what it says it is: anything else sent by a
carrier is refused naming the field, so nothing else is ever stored or served back."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from pydantic import ValidationError

from services.logistics.entrypoints.http.schemas import ScanIn


def _scan(**proof: Any) -> dict[str, Any]:
    return {
        "carrier": "ZTO",
        "tracking_no": "ZTO1",
        "scan_id": "s-1",
        "status": "delivered",
        "at": "2026-12-04T10:00:00+08:00",
        "signed_by": "Li Lei",
        **proof,
    }


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("application/pdf", b"%PDF-1.7 note"),
        ("image/jpeg", b"\xff\xd8\xff\xe0 photo"),
        ("image/png", b"\x89PNG\r\n\x1a\n photo"),
    ],
)
def test_a_pdf_jpeg_or_png_proof_is_taken(kind: str, data: bytes) -> None:
    scan = ScanIn.model_validate(_scan(proof_content_type=kind, proof_document_base64=_b64(data)))
    assert scan.document() == data


def test_a_proof_of_another_type_is_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        ScanIn.model_validate(
            _scan(proof_content_type="text/html", proof_document_base64=_b64(b"<script>"))
        )
    assert refused.value.errors()[0]["loc"][0] == "proof_content_type"


def test_a_proof_that_is_not_what_it_says_is_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        ScanIn.model_validate(_scan(proof_document_base64=_b64(b"<html><script>")))
    (error,) = refused.value.errors()
    assert error["loc"] == ("proof_document_base64",)
    assert "is not a application/pdf document" in error["msg"]
