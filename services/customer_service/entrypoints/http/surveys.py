"""Satisfaction surveys and the figures: KPIs per month or quarter, the quarterly after-sales
report (JSON or CSV)."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response

from contracts.enums import SurveyTrigger
from services.customer_service.app import kpis, queries, surveys
from services.customer_service.entrypoints.http.deps import Desk, Reader, ServiceReader, work
from services.customer_service.entrypoints.http.schemas import AnswerIn
from services.customer_service.entrypoints.http.views import (
    AfterSalesReportView,
    KpiView,
    SurveyView,
)

router = APIRouter(tags=["surveys and KPIs"])


@router.get("/surveys/{survey_id}", response_model=SurveyView)
async def get_survey(survey_id: UUID, request: Request, actor: ServiceReader) -> SurveyView:
    async with work(request, actor) as w:
        return SurveyView.of(await queries.survey(w, survey_id))


@router.get("/surveys", response_model=SurveyView)
async def find_survey(
    request: Request,
    actor: ServiceReader,
    trigger: SurveyTrigger,
    subject: Annotated[str, Query(min_length=1, max_length=100)],
) -> SurveyView:
    """The survey that followed a delivery (order id), resolution (complaint id) or ticket."""
    async with work(request, actor) as w:
        return SurveyView.of(await queries.surveys_for(w, trigger.value, subject))


@router.post("/surveys/{survey_id}/answer", response_model=SurveyView)
async def answer(survey_id: UUID, body: AnswerIn, request: Request, actor: Desk) -> SurveyView:
    """The customer's answer, recorded by the desk; the same answer again changes nothing."""
    async with work(request, actor) as w:
        await surveys.answer_survey(w, survey_id, body.score, body.recommend_score, body.comment)
        return SurveyView.of(await queries.survey(w, survey_id))


@router.get("/kpis", response_model=KpiView)
async def get_kpis(
    request: Request,
    actor: Reader,
    period: Annotated[str, Query(pattern=r"^\d{4}-(\d{2}|Q[1-4])$")],
) -> KpiView:
    """On-time rate, cycle times, review time, complaint SLAs, satisfaction for a period."""
    async with work(request, actor) as w:
        return KpiView.of(await kpis.kpis(w, period))


@router.get(
    "/reports/after-sales",
    response_model=AfterSalesReportView,
    responses={200: {"content": {"text/csv": {}}, "description": "JSON, or CSV rows"}},
)
async def after_sales(
    request: Request,
    actor: Reader,
    quarter: Annotated[str, Query(pattern=r"^\d{4}-Q[1-4]$")],
    format: Literal["json", "csv"] = "json",
) -> AfterSalesReportView | Response:
    """The quarter's complaints, service tickets, spare parts and satisfaction; ``format=csv``
    gives rows of quarter, section, metric, key, value."""
    async with work(request, actor) as w:
        summary = await kpis.after_sales_summary(w, quarter)
    if format == "csv":
        return Response(kpis.to_csv(summary), media_type="text/csv")
    return AfterSalesReportView.of(summary)
