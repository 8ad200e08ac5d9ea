"""Carriers and the choice rule over HTTP; seeded defaults; validation and conflicts."""

from __future__ import annotations


async def test_default_carriers_are_seeded_so_the_system_runs_unconfigured(start_logistics):
    lg = await start_logistics()
    carriers = (await lg.http.get("/carriers")).json()
    levels = {(c["code"], c["service_level"]) for c in carriers}
    assert {("SF", "express"), ("ZTO", "economy"), ("DHL", "express")} <= levels
    sf = next(c for c in carriers if (c["code"], c["service_level"]) == ("SF", "express"))
    assert sf["express"] is True and sf["regions"] == ["CN"]


async def test_a_new_carrier_service_takes_part_in_the_choice(start_logistics):
    lg = await start_logistics()
    body = {
        "code": "YTO",
        "name": "YTO Express",
        "service_level": "saver",
        "regions": ["CN"],
        "max_weight_kg": "30",
        "transit_days": 2,
        "base_rate": "5",
        "rate_per_kg": "0.5",
    }
    created = await lg.http.post("/carriers", json=body)
    assert created.status_code == 201, created.text
    again = await lg.http.post("/carriers", json=body)
    assert again.status_code == 409
    quote = (
        await lg.http.post(
            "/carriers/quote",
            json={"weight_kg": "10", "promised_date": "2026-12-04", "region": "Shanghai"},
        )
    ).json()
    assert (quote["carrier"], quote["service_level"], quote["cost"]) == ("YTO", "saver", "10.00")
    assert "cheapest" in quote["reason"]
    # switched off, it is no longer chosen
    off = await lg.http.patch(f"/carriers/{created.json()['id']}", json={"active": False})
    assert off.json()["active"] is False
    quote = (await lg.http.post("/carriers/quote", json={"weight_kg": "10"})).json()
    assert quote["carrier"] != "YTO"


async def test_quotes_explain_rush_and_foreign_choices(start_logistics):
    lg = await start_logistics()
    rush = (await lg.http.post("/carriers/quote", json={"weight_kg": "5", "rush": True})).json()
    assert (rush["carrier"], rush["service_level"]) == ("SF", "express")
    abroad = (
        await lg.http.post("/carriers/quote", json={"weight_kg": "5", "country": "DE"})
    ).json()
    assert abroad["carrier"] in {"DHL", "SCHENKER"}
    assert all(c["carrier"] in {"DHL", "SCHENKER"} for c in abroad["candidates"])
    nowhere = await lg.http.post("/carriers/quote", json={"weight_kg": "9000"})
    assert nowhere.status_code == 422
    assert "9000" in nowhere.text


async def test_bad_input_names_the_field(start_logistics):
    lg = await start_logistics()
    response = await lg.http.post("/carriers", json={"code": "X", "name": "X"})
    assert response.status_code == 422
    missing = {e["field"] for e in response.json()["errors"]}
    assert {"service_level", "regions", "max_weight_kg"} <= missing
    negative = await lg.http.post("/carriers/quote", json={"weight_kg": "-1"})
    assert negative.status_code == 422
    assert negative.json()["field"] == "weight_kg"
    unknown = await lg.http.get("/shipments/00000000-0000-0000-0000-000000000000")
    assert unknown.status_code == 404
    no_proof = await lg.http.get("/shipments/00000000-0000-0000-0000-000000000000/proof")
    assert no_proof.status_code == 404
