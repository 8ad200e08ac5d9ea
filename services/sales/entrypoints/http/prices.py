"""The price list and the exchange rates: master data sets them, every department reads them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request

from services.sales.app import master_data, queries
from services.sales.domain.customer import PriceEntry
from services.sales.entrypoints.http.deps import MasterData, Reader, work
from services.sales.entrypoints.http.schemas import PriceEntryIn, RateIn
from services.sales.entrypoints.http.views import ExchangeRateView, PriceEntryView

router = APIRouter(tags=["prices and rates"])


@router.post("/price-list", status_code=201, response_model=PriceEntryView)
async def put_price(body: PriceEntryIn, request: Request, actor: MasterData) -> PriceEntryView:
    """Only master data sets list prices; the currency needs an exchange rate."""
    async with work(request, actor) as w:
        entry = await master_data.put_price(w, PriceEntry(**body.model_dump()))
    return PriceEntryView.of(entry)


@router.get("/price-list", response_model=list[PriceEntryView])
async def list_prices(request: Request, actor: Reader) -> list[PriceEntryView]:
    async with work(request, actor) as w:
        return [PriceEntryView.of(e) for e in await queries.price_list(w)]


@router.get("/exchange-rates", response_model=list[ExchangeRateView])
async def list_rates(request: Request, actor: Reader) -> list[ExchangeRateView]:
    """Units of the base currency for one unit of each currency; orders in a currency not
    listed are refused."""
    async with work(request, actor) as w:
        return [ExchangeRateView.model_validate(r) for r in await queries.exchange_rates(w)]


@router.put("/exchange-rates/{currency}", response_model=ExchangeRateView)
async def put_rate(
    currency: Annotated[str, Path(pattern=r"^[A-Z]{3}$")],
    body: RateIn,
    request: Request,
    actor: MasterData,
) -> ExchangeRateView:
    async with work(request, actor) as w:
        return ExchangeRateView.model_validate(await master_data.put_rate(w, currency, body.rate))
