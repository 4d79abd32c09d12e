"""A seeded, causal simulation of one shop and its social media.

The world has customers (one browser each), a daily stream of web sessions arriving from social platforms and
other channels, organic posts (some by sales reps), Meta ad campaigns with spend, and influencers whose followers
are exposed to posts and carry a coupon code. Every session is a purchase opportunity:

    P(order at session s) = 1 - (1 - b[channel(s)]) * prod_c (1 - lift[c]) ** min(n_c(s), 3)

where ``n_c(s)`` counts the customer's touches of social channel ``c`` (sessions, and for influencers also
exposures without a click) in the 30 days before and including ``s``.

Ground truth uses *common random numbers*: every session has one fixed uniform draw ``u[s]`` and one fixed
basket. Removing channel ``c`` deletes its sessions and exposures and recomputes ``P`` for the sessions that
remain; an order happens when ``u[s] < P``. The causal incremental revenue of ``c`` is the revenue of the full
world minus the revenue of the world without ``c``, over exactly the same draws.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

import numpy as np
import pandas as pd

DAY_S = 86_400
LOOKBACK_DAYS = 30
MAX_COUNTED_TOUCHES = 3

# name, platform, utm_source, utm_medium, share of sessions, lift per prior touch, base rate at own session
CHANNELS: tuple[tuple[str, str | None, str | None, str | None, float, float, float], ...] = (
    ("facebook_paid", "facebook", "facebook", "paid_social", 0.10, 0.040, 0.035),
    ("instagram_paid", "instagram", "instagram", "paid_social", 0.10, 0.050, 0.035),
    ("facebook_organic", "facebook", "facebook", "social", 0.07, 0.030, 0.030),
    ("instagram_organic", "instagram", "instagram", "social", 0.09, 0.040, 0.030),
    ("linkedin_organic", "linkedin", "linkedin", "social", 0.05, 0.060, 0.040),
    ("x_organic", "x", "x", "social", 0.04, 0.020, 0.020),
    ("instagram_influencer", "instagram", "instagram", "influencer", 0.03, 0.080, 0.050),
    ("direct", None, None, None, 0.25, 0.0, 0.070),
    ("search", None, "google", "organic", 0.19, 0.0, 0.055),
    ("email", None, "newsletter", "email", 0.08, 0.0, 0.080),
)
CHANNEL_NAMES = tuple(c[0] for c in CHANNELS)
SOCIAL_CHANNELS = tuple(c[0] for c in CHANNELS if c[1] is not None)
ORGANIC_PLATFORMS = ("facebook", "instagram", "linkedin", "x")

# Scale factor 1 = 1M sessions, 100k orders and 10k posts over 365 days; volumes scale per day.
SF1_SESSIONS_PER_DAY = 1_000_000 / 365
SF1_POSTS_PER_DAY = 10_000 / 365

PRODUCTS = (  # sku, name, unit price in the store currency
    ("SR-TEE-01", "Organic cotton tee", 29.0),
    ("SR-HOOD-02", "Recycled hoodie", 69.0),
    ("SR-CAP-03", "Canvas cap", 24.0),
    ("SR-BAG-04", "Weekender bag", 119.0),
    ("SR-SOCK-05", "Merino socks", 16.0),
    ("SR-JKT-06", "Rain jacket", 149.0),
)
SALES_REPS = ("Alex Martin", "Sam Okafor", "Priya Desai")
INFLUENCERS = (("anna.styles", "ANNA10"), ("leo_outdoors", "LEO15"), ("mia.daily", "MIA10"))
REP_COUPONS = ("ALEX20", "SAM20", "PRIYA20")  # one per sales rep, same order as SALES_REPS

FIRST_NAMES = {
    "en": ("James", "Olivia", "Liam", "Emma", "Noah", "Ava", "Mason", "Sophia", "Ethan", "Mia"),
    "fr": ("Louis", "Camille", "Hugo", "Léa", "Jules", "Chloé", "Lucas", "Inès", "Théo", "Manon"),
}
LAST_NAMES = {
    "en": ("Smith", "Johnson", "Brown", "Taylor", "Wilson", "Davies", "Evans", "Walker", "Hall", "Young"),
    "fr": ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau"),
}


@dataclass(frozen=True)
class WorldConfig:
    scale: float = 0.01
    days: int = 60
    seed: int = 7
    locale: str = "en"
    end_date: date = date(2026, 11, 30)

    def __post_init__(self) -> None:
        if self.scale <= 0:
            raise ValueError(f"--scale must be > 0, got {self.scale}")
        if self.days < 1:
            raise ValueError(f"--days must be >= 1, got {self.days}")
        if self.locale not in ("en", "fr"):
            raise ValueError(f"--locale must be 'en' or 'fr', got {self.locale!r}")

    @property
    def start_date(self) -> date:
        return self.end_date - timedelta(days=self.days - 1)

    @property
    def currency(self) -> str:
        return "EUR" if self.locale == "fr" else "USD"

    @property
    def start_epoch(self) -> int:
        return int(datetime.combine(self.start_date, datetime.min.time(), timezone.utc).timestamp())


@dataclass
class World:
    config: WorldConfig
    customers: pd.DataFrame
    posts: pd.DataFrame
    ads: pd.DataFrame
    sessions: pd.DataFrame  # one row per session, with conversion outcome and basket
    exposures: pd.DataFrame  # influencer exposures without a click
    truth: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def orders(self) -> pd.DataFrame:
        return self.sessions[self.sessions["converted"]].copy()


def _rng(config: WorldConfig, stream: int) -> np.random.Generator:
    """Independent, reproducible random streams: one per part of the world."""
    return np.random.default_rng([config.seed, stream])


def _customers(config: WorldConfig, n: int) -> pd.DataFrame:
    rng = _rng(config, 1)
    first = np.array(FIRST_NAMES[config.locale])[rng.integers(0, 10, n)]
    last = np.array(LAST_NAMES[config.locale])[rng.integers(0, 10, n)]
    ids = np.arange(1, n + 1)
    domain = "exemple.fr" if config.locale == "fr" else "example.com"
    emails = [f"{f.lower()}.{ln.lower()}{i}@{domain}" for f, ln, i in zip(first, last, ids)]
    if config.locale == "fr":
        phones = [f"+33 6 {i % 100:02d} {(i // 100) % 100:02d} {(i * 7) % 100:02d} {(i * 13) % 100:02d}" for i in ids]
    else:
        phones = [f"(555) {100 + i % 900:03d}-{(i * 37) % 10000:04d}" for i in ids]
    return pd.DataFrame(
        {
            "customer_id": ids,
            "first_name": first,
            "last_name": last,
            "email": emails,
            "phone": phones,
            "user_pseudo_id": [f"{1_000_000_000 + i * 7919}.{1_600_000_000 + i}" for i in ids],
            "activity": rng.pareto(2.5, n) + 0.2,
            "follows_influencer": np.where(rng.random(n) < 0.15, rng.integers(0, len(INFLUENCERS), n), -1),
        }
    )


def _posts(config: WorldConfig) -> pd.DataFrame:
    rng = _rng(config, 2)
    per_day = max(SF1_POSTS_PER_DAY * config.scale, 2.0)
    # posts start 14 days before the window so early sessions have something to click on
    n = int(round(per_day * (config.days + 14)))
    platform = np.array(ORGANIC_PLATFORMS)[rng.choice(4, n, p=[0.3, 0.35, 0.2, 0.15])]
    published = config.start_epoch - 14 * DAY_S + np.sort(rng.integers(0, (config.days + 14) * DAY_S, n))
    by_rep = np.where(
        (platform == "linkedin") & (rng.random(n) < 0.5), rng.integers(0, len(SALES_REPS), n), -1
    )
    return pd.DataFrame(
        {
            "post_index": np.arange(n),
            "platform": platform,
            "published_at": published,
            "rep_index": by_rep,
            "reach_factor": rng.lognormal(0, 0.6, n),
            "post_type": np.array(["Photo", "Video", "Carousel", "Link"])[rng.integers(0, 4, n)],
        }
    )


def _ads(config: WorldConfig) -> pd.DataFrame:
    campaigns = (
        ("FB | Prospecting | Core", "facebook"),
        ("FB | Retargeting | Cart", "facebook"),
        ("IG | Prospecting | Reels", "instagram"),
        ("IG | Retargeting | Stories", "instagram"),
    )
    rows = []
    for ci, (name, platform) in enumerate(campaigns):
        campaign_id = f"1202436416160{90734 + ci * 1117}"
        for si in range(2):
            adset_id = f"1202436416161{20011 + ci * 100 + si}"
            for ai in range(2):
                rows.append(
                    {
                        "platform": platform,
                        "campaign_name": name,
                        "campaign_id": campaign_id,
                        "ad_set_name": f"{name.split(' | ')[1]} - Audience {si + 1}",
                        "ad_set_id": adset_id,
                        "ad_name": f"{platform.title()} creative {ci + 1}.{si + 1}.{ai + 1}",
                        "ad_id": f"1202436416162{30007 + ci * 100 + si * 10 + ai}",
                        "cpc": 0.55 + 0.15 * ci + 0.05 * ai,
                    }
                )
    return pd.DataFrame(rows)


def _sessions(config: WorldConfig, customers: pd.DataFrame, posts: pd.DataFrame, ads: pd.DataFrame) -> pd.DataFrame:
    rng = _rng(config, 3)
    n = int(round(SF1_SESSIONS_PER_DAY * config.scale * config.days))
    shares = np.array([c[4] for c in CHANNELS])
    channel = rng.choice(len(CHANNELS), n, p=shares / shares.sum())
    weights = customers["activity"].to_numpy()
    customer = rng.choice(len(customers), n, p=weights / weights.sum())
    # influencer sessions come from that influencer's followers when the customer follows one
    infl_idx = CHANNEL_NAMES.index("instagram_influencer")
    follows = customers["follows_influencer"].to_numpy()
    followers = np.flatnonzero(follows >= 0)
    is_infl = channel == infl_idx
    if followers.size:
        customer[is_infl] = followers[rng.integers(0, followers.size, is_infl.sum())]
    ts = config.start_epoch + rng.integers(0, config.days * DAY_S, n)
    order = np.lexsort((ts, customer))
    channel, customer, ts = channel[order], customer[order], ts[order]

    frame = pd.DataFrame({"customer_index": customer, "channel_index": channel, "ts": ts})
    frame["channel"] = np.array(CHANNEL_NAMES)[channel]
    frame["post_index"] = -1
    frame["ad_index"] = -1
    frame["influencer_index"] = -1
    # organic social sessions click a post of their platform published before the session (recent ones likelier)
    post_platform = posts["platform"].to_numpy()
    post_time = posts["published_at"].to_numpy()
    for platform in ORGANIC_PLATFORMS:
        mask = (frame["channel"] == f"{platform}_organic").to_numpy()
        candidates = np.flatnonzero(post_platform == platform)
        if not mask.any() or candidates.size == 0:
            continue
        times = post_time[candidates]
        latest = np.searchsorted(times, frame.loc[mask, "ts"].to_numpy(), side="right") - 1
        back = rng.geometric(0.15, mask.sum()) - 1
        pick = np.clip(latest - back, 0, None)
        frame.loc[mask, "post_index"] = candidates[pick]
    for platform in ("facebook", "instagram"):
        mask = (frame["channel"] == f"{platform}_paid").to_numpy()
        candidates = np.flatnonzero(ads["platform"].to_numpy() == platform)
        frame.loc[mask, "ad_index"] = candidates[rng.integers(0, candidates.size, mask.sum())]
    frame.loc[is_infl[order], "influencer_index"] = follows[customer[is_infl[order]]]

    n_sessions = len(frame)
    frame["u"] = rng.random(n_sessions)  # the common random number of each purchase opportunity
    frame["n_lines"] = rng.choice([1, 2, 3], n_sessions, p=[0.6, 0.3, 0.1])
    frame["basket_seed"] = rng.integers(0, 2**31, n_sessions)
    frame["refund_draw"] = rng.random(n_sessions)
    frame["gclid_draw"] = rng.random(n_sessions)
    return frame


def _exposures(config: WorldConfig, customers: pd.DataFrame) -> pd.DataFrame:
    """Influencer posts seen by followers without a click; a later order of theirs may carry the coupon."""
    rng = _rng(config, 4)
    followers = np.flatnonzero(customers["follows_influencer"].to_numpy() >= 0)
    n = int(len(followers) * config.days / 10)  # about one exposure per follower every 10 days
    if followers.size == 0 or n == 0:
        return pd.DataFrame({"customer_index": [], "ts": []}, dtype="int64")
    customer = followers[rng.integers(0, followers.size, n)]
    ts = config.start_epoch + rng.integers(0, config.days * DAY_S, n)
    order = np.lexsort((ts, customer))
    return pd.DataFrame({"customer_index": customer[order], "ts": ts[order]})


def _window_counts(keys_sorted: np.ndarray, query: np.ndarray) -> np.ndarray:
    """How many keys fall in (query - 30 days, query] — keys are customer-offset times, so never across customers."""
    hi = np.searchsorted(keys_sorted, query, side="right")
    lo = np.searchsorted(keys_sorted, query - LOOKBACK_DAYS * DAY_S, side="right")
    return hi - lo


def _offset(customer: np.ndarray, ts: np.ndarray) -> np.ndarray:
    return customer.astype(np.int64) * (10_000 * DAY_S) + ts.astype(np.int64)


def outcomes(sessions: pd.DataFrame, exposures: pd.DataFrame, removed: str | None = None) -> np.ndarray:
    """Whether each session converts, in the world with ``removed`` channel taken out (its sessions never convert)."""
    keep = np.ones(len(sessions), dtype=bool) if removed is None else (sessions["channel"] != removed).to_numpy()
    key = _offset(sessions["customer_index"].to_numpy(), sessions["ts"].to_numpy())
    log_no = np.zeros(len(sessions))
    channel_idx = sessions["channel_index"].to_numpy()
    for index, (name, platform, _s, _m, _share, lift, base) in enumerate(CHANNELS):
        own = channel_idx == index
        log_no[own] += np.log1p(-base)
        if platform is None or name == removed or lift == 0:
            continue
        touch_keys = key[own & keep]
        if name == "instagram_influencer" and len(exposures):
            exposure_keys = _offset(exposures["customer_index"].to_numpy(), exposures["ts"].to_numpy())
            touch_keys = np.concatenate([touch_keys, exposure_keys])
        touch_keys.sort()
        counts = np.minimum(_window_counts(touch_keys, key), MAX_COUNTED_TOUCHES)
        log_no += counts * np.log1p(-lift)
    p = -np.expm1(log_no)
    return keep & (sessions["u"].to_numpy() < p)


def basket_lines(sessions: pd.DataFrame) -> pd.DataFrame:
    """The basket each session would buy: fixed per session, so it is the same in every counterfactual world."""
    lines = sessions.loc[sessions.index.repeat(sessions["n_lines"]), ["basket_seed"]].copy()
    lines["session_row"] = lines.index
    lines["line_number"] = lines.groupby(level=0).cumcount() + 1
    mix = (lines["basket_seed"].to_numpy() * 2654435761 + lines["line_number"].to_numpy() * 40503) % (2**31)
    lines["product"] = mix % len(PRODUCTS)
    lines["quantity"] = 1 + (mix // 7) % 3 // 2
    lines["unit_price"] = np.array([p[2] for p in PRODUCTS])[lines["product"]]
    lines["line_amount"] = lines["quantity"] * lines["unit_price"]
    return lines.reset_index(drop=True)


def build_world(config: WorldConfig) -> World:
    n_customers = max(int(round(SF1_SESSIONS_PER_DAY * config.scale * config.days / 5)), 50)
    customers = _customers(config, n_customers)
    posts = _posts(config)
    ads = _ads(config)
    sessions = _sessions(config, customers, posts, ads)
    exposures = _exposures(config, customers)
    sessions["converted"] = outcomes(sessions, exposures)
    lines = basket_lines(sessions)
    subtotal = lines.groupby("session_row")["line_amount"].sum()
    sessions["subtotal"] = subtotal.reindex(sessions.index).to_numpy()
    sessions = _order_money(config, sessions, customers, posts, exposures)
    world = World(config, customers, posts, ads, sessions, exposures)
    world.truth = ground_truth(world)
    return world


def _order_money(
    config: WorldConfig, sessions: pd.DataFrame, customers: pd.DataFrame, posts: pd.DataFrame, exposures: pd.DataFrame
) -> pd.DataFrame:
    """Coupon, discount, shipping, tax, refunds and the net revenue an order books (fixed per session)."""
    follows = customers["follows_influencer"].to_numpy()[sessions["customer_index"].to_numpy()]
    coupon = np.full(len(sessions), "", dtype=object)
    rate = np.zeros(len(sessions))
    # influencer followers exposed in the last 30 days use the code 60% of the time
    key = _offset(sessions["customer_index"].to_numpy(), sessions["ts"].to_numpy())
    exp_keys = np.sort(_offset(exposures["customer_index"].to_numpy(), exposures["ts"].to_numpy())) if len(
        exposures
    ) else np.array([], dtype=np.int64)
    exposed = _window_counts(exp_keys, key) > 0
    infl_session = (sessions["channel"] == "instagram_influencer").to_numpy()
    uses = (follows >= 0) & (exposed | infl_session) & (sessions["basket_seed"].to_numpy() % 10 < 6)
    codes = np.array([c for _, c in INFLUENCERS], dtype=object)
    coupon[uses] = codes[follows[uses]]
    rate[uses] = np.where(np.char.startswith(coupon[uses].astype(str), "LEO"), 0.15, 0.10)
    # a third of orders from a sales rep's LinkedIn post use that rep's code
    post_index = sessions["post_index"].to_numpy()
    rep = np.where(post_index >= 0, posts["rep_index"].to_numpy()[np.clip(post_index, 0, None)], -1)
    rep_uses = (rep >= 0) & (sessions["basket_seed"].to_numpy() % 3 == 0) & (coupon == "")
    coupon[rep_uses] = np.array(REP_COUPONS, dtype=object)[rep[rep_uses]]
    rate[rep_uses] = 0.20
    sessions["coupon_code"] = coupon
    sessions["discount_rate"] = rate
    sessions["discount_amount"] = np.round(sessions["subtotal"] * rate, 2)
    sessions["shipping"] = np.where(sessions["subtotal"] >= 100, 0.0, 6.9)
    taxable = sessions["subtotal"] - sessions["discount_amount"]
    sessions["taxes"] = np.round(taxable * (0.2 if config.locale == "fr" else 0.08), 2)
    sessions["total"] = np.round(taxable + sessions["shipping"] + sessions["taxes"], 2)
    draw = sessions["refund_draw"].to_numpy()
    sessions["is_cancelled"] = draw < 0.02
    sessions["refunded_amount"] = np.where((draw >= 0.02) & (draw < 0.07), np.round(sessions["total"] * 0.5, 2), 0.0)
    sessions["net_revenue"] = np.where(
        sessions["is_cancelled"], 0.0, np.round(sessions["total"] - sessions["refunded_amount"], 2)
    )
    return sessions


def ground_truth(world: World) -> pd.DataFrame:
    """Each social channel's causal incremental orders and revenue, by re-simulating the world without it."""
    sessions, exposures = world.sessions, world.exposures
    revenue = sessions["net_revenue"].to_numpy()
    base_conv = sessions["converted"].to_numpy()
    total_revenue = float(revenue[base_conv].sum())
    rows = []
    for name, platform, *_ in CHANNELS:
        if platform is None:
            continue
        without = outcomes(sessions, exposures, removed=name)
        rows.append(
            {
                "channel": name,
                "platform": platform,
                "incremental_orders": int(base_conv.sum() - without.sum()),
                "incremental_revenue": round(total_revenue - float(revenue[without].sum()), 2),
            }
        )
    truth = pd.DataFrame(rows)
    truth["share_of_total_revenue"] = truth["incremental_revenue"] / total_revenue if total_revenue else 0.0
    truth.attrs["total_revenue"] = total_revenue
    return truth
