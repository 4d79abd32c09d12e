"""Orders across Shopify, WooCommerce and Stripe: one system per order, ids joinable from GA4, revenue conserved."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from simworld_readers import ga4_purchases, shopify_orders, stripe_payments, woo_orders


@pytest.fixture(scope="module")
def books(world_en):
    out, _, _ = world_en
    stripe, failed = stripe_payments(out)
    return {"shopify": shopify_orders(out), "woocommerce": woo_orders(out), "stripe": stripe}, failed


def test_every_system_books_orders_and_counts_match_world_json(world_en, books):
    out, _, _ = world_en
    systems, _ = books
    truth = json.loads((out / "truth" / "world.json").read_text())
    assert truth["orders_by_system"] == {name: len(orders) for name, orders in systems.items()}
    assert sum(truth["orders_by_system"].values()) == truth["orders"]
    shares = {name: len(o) / truth["orders"] for name, o in systems.items()}
    assert 0.7 < shares["shopify"] < 0.9 and 0.04 < shares["woocommerce"] < 0.18 and 0.04 < shares["stripe"] < 0.18


def test_order_ids_are_unique_across_systems_and_ga4_joins_exactly_one(world_en, books):
    out, _, _ = world_en
    systems, _ = books
    owner = Counter(order_id for orders in systems.values() for order_id in orders)
    assert max(owner.values()) == 1
    purchases = ga4_purchases(out)
    assert len(purchases) > 100 and len(set(purchases)) == len(purchases)
    where = {order_id: name for name, orders in systems.items() for order_id in orders}
    assert all(tid in where for tid in purchases)
    assert {where[tid] for tid in purchases} == set(systems)


def test_net_revenue_of_the_three_exports_equals_world_json(world_en, books):
    out, _, _ = world_en
    systems, failed = books
    truth = json.loads((out / "truth" / "world.json").read_text())
    for name, orders in systems.items():
        assert sum(orders.values()) == pytest.approx(truth["net_revenue_by_system"][name], abs=0.01), name
    total = sum(sum(orders.values()) for orders in systems.values())
    assert total == pytest.approx(truth["net_revenue"], abs=0.01)
    assert failed == truth["stripe_failed_attempts"] > 0


def test_failed_and_cancelled_payments_do_not_count(world_en, books):
    _, world, _ = world_en
    s = world.sessions
    stripe_orders = s[s["converted"] & (s["sales_system"] == "stripe")]
    systems, _ = books
    for order_id, is_cancelled, net in zip(
        stripe_orders["order_id"], stripe_orders["is_cancelled"], stripe_orders["net_revenue"]
    ):
        assert systems["stripe"][order_id] == pytest.approx(net, abs=0.005)
        if is_cancelled:
            assert systems["stripe"][order_id] == 0.0
