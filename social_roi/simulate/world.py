"""A seeded, causal simulation of one shop and its social media.

The world has customers (one browser each), a daily stream of web sessions arriving from social platforms and
other channels, organic posts and videos (some LinkedIn posts by sales reps), ad campaigns with spend (Meta,
TikTok Ads, LinkedIn Campaign Manager), and influencers whose followers are exposed to posts and carry a coupon
code. Every session is a purchase opportunity:

    P(order at session s) = 1 - (1 - b[channel(s)]) * prod_c (1 - lift[c]) ** min(n_c(s), 3)

where ``n_c(s)`` counts the customer's touches of social channel ``c`` (sessions, and for influencers also
exposures without a click) in the 30 days before and including ``s``.

Ground truth uses *common random numbers*: every session has one fixed uniform draw ``u[s]``, one fixed basket
and one fixed sales system. Removing channel ``c`` deletes its sessions and exposures and recomputes ``P`` for
the sessions that remain; an order happens when ``u[s] < P``. The causal incremental revenue of ``c`` (its
removal effect) is the revenue of the full world minus the revenue of the world without ``c``, over exactly the
same draws. The additive truth is the Shapley value of the revenue game v(S) = revenue when only the social
channels in S exist (``simulate/truth.py``): it adds up to the world's revenue with v(empty) as the baseline.

Every order is booked in exactly one sales system, fixed per session before any outcome is drawn: Shopify
(~80 %), a second WooCommerce storefront for trade customers (~10 %: no tax collected, free shipping through
the automatic ``freeship`` coupon) and Stripe Payment Links (~10 %). Net revenue of an order is
``total - refunded`` (0 when cancelled) in every system.

B2B deals are a separate conversion type: a click on a sales rep's LinkedIn post may open a deal owned by that
rep (in Salesforce or HubSpot). Deals never count as order revenue; their truth is per rep.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd

DAY_S = 86_400
LOOKBACK_DAYS = 30
MAX_COUNTED_TOUCHES = 3

# Channels added after the first release take their share proportionally from the original ten.
_NEW_CHANNEL_SHARE = 0.17
_OLD_SCALE = 1.0 - _NEW_CHANNEL_SHARE

# name, platform, utm_source, utm_medium, share of sessions, lift per prior touch, base rate at own session
CHANNELS: tuple[tuple[str, str | None, str | None, str | None, float, float, float], ...] = (
    ("facebook_paid", "facebook", "facebook", "paid_social", 0.10 * _OLD_SCALE, 0.0340, 0.028),
    ("instagram_paid", "instagram", "instagram", "paid_social", 0.10 * _OLD_SCALE, 0.0425, 0.028),
    ("facebook_organic", "facebook", "facebook", "social", 0.07 * _OLD_SCALE, 0.0255, 0.024),
    ("instagram_organic", "instagram", "instagram", "social", 0.09 * _OLD_SCALE, 0.0340, 0.024),
    ("linkedin_organic", "linkedin", "linkedin", "social", 0.05 * _OLD_SCALE, 0.0510, 0.032),
    ("x_organic", "x", "x", "social", 0.04 * _OLD_SCALE, 0.0170, 0.016),
    ("instagram_influencer", "instagram", "instagram", "influencer", 0.03 * _OLD_SCALE, 0.0680, 0.040),
    ("direct", None, None, None, 0.25 * _OLD_SCALE, 0.0, 0.056),
    ("search", None, "google", "organic", 0.19 * _OLD_SCALE, 0.0, 0.044),
    ("email", None, "newsletter", "email", 0.08 * _OLD_SCALE, 0.0, 0.064),
    ("tiktok_organic", "tiktok", "tiktok", "social", 0.05, 0.0255, 0.018),
    ("tiktok_paid", "tiktok", "tiktok", "paid_social", 0.05, 0.0298, 0.022),
    ("youtube_organic", "youtube", "youtube", "social", 0.04, 0.0425, 0.028),
    ("linkedin_paid", "linkedin", "linkedin", "paid_social", 0.03, 0.0382, 0.032),
)
CHANNEL_NAMES = tuple(c[0] for c in CHANNELS)
SOCIAL_CHANNELS = tuple(c[0] for c in CHANNELS if c[1] is not None)
ORGANIC_PLATFORMS = ("facebook", "instagram", "linkedin", "x", "tiktok", "youtube")
ORGANIC_POST_MIX = (0.25, 0.28, 0.16, 0.12, 0.12, 0.07)  # share of posts per organic platform
PAID_PLATFORMS = ("facebook", "instagram", "tiktok", "linkedin")

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

# Sales systems: every order is booked in exactly one of them (cumulative thresholds on a fixed per-session draw).
SALES_SYSTEMS = ("shopify", "woocommerce", "stripe")
SALES_SYSTEM_SHARES = (0.80, 0.10, 0.10)
WOO_AUTO_COUPON = "freeship"  # the trade storefront's automatic free-shipping coupon
STRIPE_FAILED_RETRY_RATE = 0.12  # share of Stripe orders preceded by a declined attempt
STRIPE_ABANDONED_RATE = 0.01  # share of non-converting Stripe sessions that leave a declined attempt only

# B2B deals: a click on a sales rep's LinkedIn post opens a deal with this probability.
DEAL_RATE = 0.08
DEAL_OUTCOMES = (("won", 0.35), ("lost", 0.25), ("open", 0.40))  # final state of a deal, fixed per deal
DEAL_CRM_SALESFORCE_SHARE = 0.6  # the rest live in HubSpot
COMPANY_SUFFIXES = ("Outfitters", "Retail Group", "Trading Co.", "Boutique", "Supply", "Concept Store")

FIRST_NAMES = {
    "en": ("James", "Olivia", "Liam", "Emma", "Noah", "Ava", "Mason", "Sophia", "Ethan", "Mia"),
    "fr": ("Louis", "Camille", "Hugo", "Léa", "Jules", "Chloé", "Lucas", "Inès", "Théo", "Manon"),
}
LAST_NAMES = {
    "en": ("Smith", "Johnson", "Brown", "Taylor", "Wilson", "Davies", "Evans", "Walker", "Hall", "Young"),
    "fr": ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau"),
}


@dataclass(frozen=True)
class Scenario:
    """How touches act on purchases in a world (harder worlds for the evaluation; docs/simulation.md).

    ``lifts``/``bases``/``lookbacks`` override a channel's lift per counted touch, base rate at its own session and
    lookback (days). ``half_life_days``: a touch counts 2^(-age / half-life) instead of 1 (decay), and
    ``saturation`` turns the decayed count w into cap * (1 - exp(-w / cap)) (diminishing returns) instead of
    min(w, cap). ``interaction``: (channel a, channel b, lift) — an extra lift when the customer touched both in
    the lookback. ``retargeting``: a channel whose clicks are aimed at customers about to buy (placed 1-48 hours
    before sessions drawn in proportion to their purchase probability), with no lift and no base rate of its own.
    """

    lifts: tuple[tuple[str, float], ...] = ()
    bases: tuple[tuple[str, float], ...] = ()
    lookbacks: tuple[tuple[str, int], ...] = ()
    half_life_days: float | None = None
    saturation: bool = False
    interaction: tuple[str, str, float] | None = None
    retargeting: str | None = None


SCENARIOS: dict[str, Scenario] = {
    "default": Scenario(),
    # touch effects fade (half-life 5 days) and saturate (diminishing returns up to 3 touches' worth)
    "decay": Scenario(half_life_days=5.0, saturation=True),
    # a paid Instagram click works much better on a follower who also saw the influencer (and vice versa)
    "interaction": Scenario(interaction=("instagram_paid", "instagram_influencer", 0.10)),
    # facebook_paid becomes pure retargeting: shown to people already about to buy, it causes nothing
    "retargeting": Scenario(retargeting="facebook_paid"),
    # a long consideration cycle: YouTube videos lift purchases up to 90 days later and matter most
    "long_cycle": Scenario(
        lifts=(("youtube_organic", 0.09),), lookbacks=(("youtube_organic", 90),), half_life_days=30.0
    ),
}
HARDER_WORLDS = tuple(name for name in SCENARIOS if name != "default")


@dataclass(frozen=True)
class WorldConfig:
    scale: float = 0.01
    days: int = 60
    seed: int = 7
    locale: str = "en"
    end_date: date = date(2026, 11, 30)
    scenario: str = "default"  # one of SCENARIOS: how touches act on purchases (see Scenario)

    def __post_init__(self) -> None:
        if self.scenario not in SCENARIOS:
            raise ValueError(f"--scenario must be one of {', '.join(SCENARIOS)}, got {self.scenario!r}")
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
        return int(datetime.combine(self.start_date, datetime.min.time(), UTC).timestamp())

    @property
    def end_epoch(self) -> int:
        """The first second after the simulated window."""
        return self.start_epoch + self.days * DAY_S


@dataclass
class World:
    config: WorldConfig
    customers: pd.DataFrame
    posts: pd.DataFrame
    ads: pd.DataFrame
    sessions: pd.DataFrame  # one row per session, with conversion outcome, basket, sales system and order ids
    exposures: pd.DataFrame  # influencer exposures without a click
    truth: pd.DataFrame = field(default_factory=pd.DataFrame)
    deals: pd.DataFrame = field(default_factory=pd.DataFrame)
    additive_truth: pd.DataFrame = field(default_factory=pd.DataFrame)  # Shapley value of the revenue game

    @property
    def orders(self) -> pd.DataFrame:
        return self.sessions[self.sessions["converted"]].copy()


def _rng(config: WorldConfig, stream: int) -> np.random.Generator:
    """Independent, reproducible random streams: one per part of the world."""
    return np.random.default_rng([config.seed, stream])


def _customers(config: WorldConfig, n: int) -> pd.DataFrame:
    rng = _rng(config, 1)
    first = pd.Series(np.array(FIRST_NAMES[config.locale], dtype=object)[rng.integers(0, 10, n)])
    last = pd.Series(np.array(LAST_NAMES[config.locale], dtype=object)[rng.integers(0, 10, n)])
    ids = pd.Series(np.arange(1, n + 1))
    sid = ids.astype(str)
    domain = "exemple.fr" if config.locale == "fr" else "example.com"
    emails = first.str.lower() + "." + last.str.lower() + sid + "@" + domain

    def two(values: pd.Series) -> pd.Series:
        return (values % 100).astype(str).str.zfill(2)

    if config.locale == "fr":
        phones = "+33 6 " + two(ids) + " " + two(ids // 100) + " " + two(ids * 7) + " " + two(ids * 13)
    else:
        phones = "(555) " + (100 + ids % 900).astype(str) + "-" + ((ids * 37) % 10000).astype(str).str.zfill(4)
    return pd.DataFrame(
        {
            "customer_id": ids.to_numpy(),
            "first_name": first.to_numpy(),
            "last_name": last.to_numpy(),
            "email": emails.to_numpy(),
            "phone": phones.to_numpy(),
            "user_pseudo_id": (
                (1_000_000_000 + ids * 7919).astype(str) + "." + (1_600_000_000 + ids).astype(str)
            ).to_numpy(),
            "activity": rng.pareto(2.5, n) + 0.2,
            "follows_influencer": np.where(rng.random(n) < 0.15, rng.integers(0, len(INFLUENCERS), n), -1),
        }
    )


def _posts(config: WorldConfig) -> pd.DataFrame:
    rng = _rng(config, 2)
    per_day = max(SF1_POSTS_PER_DAY * config.scale, 3.0)
    # posts start 14 days before the window so early sessions have something to click on
    n = round(per_day * (config.days + 14))
    platform = np.array(ORGANIC_PLATFORMS)[rng.choice(len(ORGANIC_PLATFORMS), n, p=ORGANIC_POST_MIX)]
    published = config.start_epoch - 14 * DAY_S + np.sort(rng.integers(0, (config.days + 14) * DAY_S, n))
    by_rep = np.where((platform == "linkedin") & (rng.random(n) < 0.5), rng.integers(0, len(SALES_REPS), n), -1)
    post_type = np.array(["Photo", "Video", "Carousel", "Link"])[rng.integers(0, 4, n)]
    short = rng.random(n) < 0.4
    post_type = np.where(platform == "tiktok", "Video", post_type)
    post_type = np.where(platform == "youtube", np.where(short, "Short", "Video"), post_type)
    duration = np.where(
        platform == "tiktok",
        rng.integers(9, 61, n),
        np.where(platform == "youtube", np.where(short, rng.integers(15, 60, n), rng.integers(120, 900, n)), 0),
    )
    duration = np.where(
        (platform != "tiktok") & (platform != "youtube") & (post_type == "Video"), rng.integers(10, 120, n), duration
    )
    return pd.DataFrame(
        {
            "post_index": np.arange(n),
            "platform": platform,
            "published_at": published,
            "rep_index": by_rep,
            "reach_factor": rng.lognormal(0, 0.6, n),
            "post_type": post_type,
            "duration_s": duration.astype(np.int64),
            "watch_share": rng.uniform(0.25, 0.7, n),  # average share of the video watched
            "thumb_ctr": rng.uniform(0.02, 0.09, n),  # YouTube impressions click-through rate
        }
    )


def _ads(config: WorldConfig) -> pd.DataFrame:
    # name, platform, account / campaign group, cost per link click (market rates, sources in docs/simulation.md)
    campaigns = (
        ("FB | Prospecting | Core", "facebook", "", 1.05),
        ("FB | Retargeting | Cart", "facebook", "", 1.35),
        ("IG | Prospecting | Reels", "instagram", "", 0.95),
        ("IG | Retargeting | Stories", "instagram", "", 1.20),
        ("TT | Prospecting | Spark Ads", "tiktok", "", 0.95),
        ("TT | Video Shopping | Catalog", "tiktok", "", 1.10),
        ("LI | Sponsored Content | Retail buyers", "linkedin", "B2B | Trade accounts", 5.60),
        ("LI | Conversation Ads | Store owners", "linkedin", "B2B | Trade accounts", 7.20),
    )
    rows = []
    for ci, (name, platform, group, cpc) in enumerate(campaigns):
        if platform in ("facebook", "instagram"):
            campaign_id = f"1202436416160{90734 + ci * 1117}"
        elif platform == "tiktok":
            campaign_id = f"{1781234567000000 + ci * 7919}"
        else:
            campaign_id = f"{312456700 + ci * 131}"
        for si in range(2):
            if platform in ("facebook", "instagram"):
                adset_id = f"1202436416161{20011 + ci * 100 + si}"
            elif platform == "tiktok":
                adset_id = f"{1781234568000000 + ci * 7919 + si}"
            else:
                adset_id = campaign_id  # LinkedIn has no ad sets: creatives hang off the campaign
            for ai in range(2):
                if platform in ("facebook", "instagram"):
                    ad_id = f"1202436416162{30007 + ci * 100 + si * 10 + ai}"
                elif platform == "tiktok":
                    ad_id = f"{1781234569000000 + ci * 7919 + si * 10 + ai}"
                else:
                    ad_id = f"{281904500 + ci * 1000 + si * 10 + ai}"  # LinkedIn creative id
                rows.append(
                    {
                        "platform": platform,
                        "campaign_name": name,
                        "campaign_id": campaign_id,
                        "campaign_group": group,
                        "ad_set_name": f"{name.split(' | ')[1]} - Audience {si + 1}",
                        "ad_set_id": adset_id,
                        "ad_name": f"{platform.title()} creative {ci + 1}.{si + 1}.{ai + 1}",
                        "ad_id": ad_id,
                        "cpc": round(cpc + 0.05 * ai, 2),
                    }
                )
    return pd.DataFrame(rows)


def _sessions(config: WorldConfig, customers: pd.DataFrame, posts: pd.DataFrame, ads: pd.DataFrame) -> pd.DataFrame:
    rng = _rng(config, 3)
    n = round(SF1_SESSIONS_PER_DAY * config.scale * config.days)
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

    names = np.array(CHANNEL_NAMES)
    frame = pd.DataFrame({"customer_index": customer, "channel_index": channel, "ts": ts})
    frame["channel"] = names[channel]
    post_index = np.full(n, -1, dtype=np.int64)
    ad_index = np.full(n, -1, dtype=np.int64)
    influencer_index = np.full(n, -1, dtype=np.int64)
    # organic social sessions click a post of their platform published before the session (recent ones likelier)
    post_platform = posts["platform"].to_numpy()
    post_time = posts["published_at"].to_numpy()
    for platform in ORGANIC_PLATFORMS:
        mask = channel == CHANNEL_NAMES.index(f"{platform}_organic")
        candidates = np.flatnonzero(post_platform == platform)
        if not mask.any() or candidates.size == 0:
            continue
        times = post_time[candidates]
        latest = np.searchsorted(times, ts[mask], side="right") - 1
        back = rng.geometric(0.15, mask.sum()) - 1
        pick = np.clip(latest - back, 0, None)
        post_index[mask] = candidates[pick]
    ad_platform = ads["platform"].to_numpy()
    for platform in PAID_PLATFORMS:
        mask = channel == CHANNEL_NAMES.index(f"{platform}_paid")
        candidates = np.flatnonzero(ad_platform == platform)
        ad_index[mask] = candidates[rng.integers(0, candidates.size, mask.sum())]
    infl = is_infl[order]
    influencer_index[infl] = follows[customer[infl]]
    frame["post_index"] = post_index
    frame["ad_index"] = ad_index
    frame["influencer_index"] = influencer_index

    n_sessions = len(frame)
    frame["u"] = rng.random(n_sessions)  # the common random number of each purchase opportunity
    frame["n_lines"] = rng.choice([1, 2, 3], n_sessions, p=[0.6, 0.3, 0.1])
    frame["basket_seed"] = rng.integers(0, 2**31, n_sessions)
    frame["refund_draw"] = rng.random(n_sessions)
    frame["gclid_draw"] = rng.random(n_sessions)
    # Draws added with the sales systems and deals come from their own stream, fixed per session.
    extra = _rng(config, 5)
    system_draw = extra.random(n_sessions)
    frame["sales_system"] = np.array(SALES_SYSTEMS)[
        np.searchsorted(np.cumsum(SALES_SYSTEM_SHARES)[:-1], system_draw, side="right")
    ]
    frame["stripe_fail_draw"] = extra.random(n_sessions)
    frame["deal_draw"] = extra.random(n_sessions)
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


def _window_counts(keys_sorted: np.ndarray, query: np.ndarray, days: int = LOOKBACK_DAYS) -> np.ndarray:
    """How many keys fall in (query - days, query] — keys are customer-offset times, so never across customers."""
    hi = np.searchsorted(keys_sorted, query, side="right")
    lo = np.searchsorted(keys_sorted, query - days * DAY_S, side="right")
    return hi - lo


def _offset(customer: np.ndarray, ts: np.ndarray) -> np.ndarray:
    return customer.astype(np.int64) * (10_000 * DAY_S) + ts.astype(np.int64)


@dataclass(frozen=True)
class TouchEffects:
    """The purchase model of every session, split by social channel so any coalition can be re-simulated.

    ``log(1 - P(order at s))`` in a world where only the social channels in S exist is
    ``base_log[s] + sum_{c in S} effect[s, c] + sum_{(a, b) in pairs, a and b in S} pair_effect[s]``, and session
    ``s`` exists when ``player[s]`` is -1 (not a social channel) or in S. ``players`` names the columns of
    ``effect`` (the social channels, in CHANNELS order).
    """

    players: tuple[str, ...]
    base_log: np.ndarray  # log(1 - base rate of the session's own channel)
    effect: np.ndarray  # n_sessions x n_players, <= 0: counted touches in the lookback * log(1 - lift)
    player: np.ndarray  # index into players of the session's own channel, -1 when not social
    pairs: tuple[tuple[int, int, np.ndarray], ...] = ()  # (player a, player b, log-effect when both are present)


def _channel_params(scenario: Scenario) -> dict[str, tuple[float, float, int]]:
    lifts, bases, lookbacks = dict(scenario.lifts), dict(scenario.bases), dict(scenario.lookbacks)
    params = {}
    for name, _platform, _s, _m, _share, lift, base in CHANNELS:
        if name == scenario.retargeting:
            lift, base = 0.0, 0.0
        params[name] = (lifts.get(name, lift), bases.get(name, base), lookbacks.get(name, LOOKBACK_DAYS))
    return params


def _touch_weight(touch_keys: np.ndarray, key: np.ndarray, lookback_days: int, scenario: Scenario) -> np.ndarray:
    """Counted touches of one channel before each session: in (s - lookback, s], decayed and saturated as the
    scenario says (default: a plain count capped at MAX_COUNTED_TOUCHES)."""
    if scenario.half_life_days is None:
        weight = _window_counts(touch_keys, key, lookback_days).astype(float)
    else:  # whole days of age, each day's touches weighted 2^(-(age + 1/2) / half-life)
        weight = np.zeros(len(key))
        for age in range(lookback_days):
            hi = np.searchsorted(touch_keys, key - age * DAY_S, side="right")
            lo = np.searchsorted(touch_keys, key - (age + 1) * DAY_S, side="right")
            weight += (hi - lo) * 2.0 ** (-(age + 0.5) / scenario.half_life_days)
    if scenario.saturation:
        return MAX_COUNTED_TOUCHES * -np.expm1(-weight / MAX_COUNTED_TOUCHES)
    return np.minimum(weight, MAX_COUNTED_TOUCHES)


def touch_effects(sessions: pd.DataFrame, exposures: pd.DataFrame, scenario: str = "default") -> TouchEffects:
    setting = SCENARIOS[scenario]
    params = _channel_params(setting)
    key = _offset(sessions["customer_index"].to_numpy(), sessions["ts"].to_numpy())
    channel_idx = sessions["channel_index"].to_numpy()
    base_log = np.zeros(len(sessions))
    effect = np.zeros((len(sessions), len(SOCIAL_CHANNELS)))
    player = np.full(len(sessions), -1, dtype=np.int64)
    touch_keys_of = {}
    for index, (name, platform, *_rest) in enumerate(CHANNELS):
        lift, base, lookback = params[name]
        own = channel_idx == index
        base_log[own] = np.log1p(-base)
        if platform is None:
            continue
        column = SOCIAL_CHANNELS.index(name)
        player[own] = column
        touch_keys = key[own]
        if name == "instagram_influencer" and len(exposures):
            exposure_keys = _offset(exposures["customer_index"].to_numpy(), exposures["ts"].to_numpy())
            touch_keys = np.concatenate([touch_keys, exposure_keys])
        touch_keys_of[name] = np.sort(touch_keys)
        if lift > 0:
            effect[:, column] = _touch_weight(touch_keys_of[name], key, lookback, setting) * np.log1p(-lift)
    if setting.retargeting:  # a retargeting click is never a purchase opportunity of its own
        effect[channel_idx == CHANNEL_NAMES.index(setting.retargeting), :] = 0.0
    pairs = ()
    if setting.interaction is not None:
        a, b, lift = setting.interaction
        both = (_window_counts(touch_keys_of[a], key) > 0) & (_window_counts(touch_keys_of[b], key) > 0)
        if setting.retargeting:
            both &= channel_idx != CHANNEL_NAMES.index(setting.retargeting)
        pairs = ((SOCIAL_CHANNELS.index(a), SOCIAL_CHANNELS.index(b), both * np.log1p(-lift)),)
    return TouchEffects(SOCIAL_CHANNELS, base_log, effect, player, pairs)


def log_no_purchase(effects: TouchEffects, present: np.ndarray) -> np.ndarray:
    """log(1 - P) of every session in the world where the players flagged in ``present`` exist."""
    log_no = effects.base_log + effects.effect @ present.astype(float)
    for a, b, pair in effects.pairs:
        if present[a] and present[b]:
            log_no = log_no + pair
    return log_no


def outcomes(
    sessions: pd.DataFrame, exposures: pd.DataFrame, removed: str | None = None, effects: TouchEffects | None = None
) -> np.ndarray:
    """Whether each session converts, in the world with ``removed`` channel taken out (its sessions never convert)."""
    effects = effects or touch_effects(sessions, exposures)
    present = np.array([name != removed for name in effects.players])
    keep = (effects.player < 0) | present[np.clip(effects.player, 0, None)]
    return keep & (sessions["u"].to_numpy() < -np.expm1(log_no_purchase(effects, present)))


def _retarget(config: WorldConfig, sessions: pd.DataFrame, exposures: pd.DataFrame) -> pd.DataFrame:
    """Move the retargeting channel's clicks to customers about to buy: each lands 1-48 hours before a session
    drawn in proportion to its purchase probability; then sessions are sorted by customer and time again."""
    channel = SCENARIOS[config.scenario].retargeting
    rng = _rng(config, 7)
    p = -np.expm1(
        log_no_purchase(touch_effects(sessions, exposures, config.scenario), np.ones(len(SOCIAL_CHANNELS), dtype=bool))
    )
    mine = (sessions["channel"] == channel).to_numpy()
    weights = np.where(mine, 0.0, p)
    targets = rng.choice(len(sessions), mine.sum(), p=weights / weights.sum())
    sessions = sessions.copy()
    sessions.loc[mine, "customer_index"] = sessions["customer_index"].to_numpy()[targets]
    before = rng.integers(3600, 48 * 3600, mine.sum())
    sessions.loc[mine, "ts"] = np.maximum(sessions["ts"].to_numpy()[targets] - before, config.start_epoch)
    order = np.lexsort((sessions["ts"].to_numpy(), sessions["customer_index"].to_numpy()))
    return sessions.iloc[order].reset_index(drop=True)


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
    n_customers = max(round(SF1_SESSIONS_PER_DAY * config.scale * config.days / 5), 50)
    customers = _customers(config, n_customers)
    posts = _posts(config)
    ads = _ads(config)
    sessions = _sessions(config, customers, posts, ads)
    exposures = _exposures(config, customers)
    if SCENARIOS[config.scenario].retargeting:
        sessions = _retarget(config, sessions, exposures)
    sessions["converted"] = outcomes(sessions, exposures, effects=touch_effects(sessions, exposures, config.scenario))
    subtotal = _subtotals(sessions)
    sessions["subtotal"] = subtotal
    sessions = _order_money(config, sessions, customers, posts, exposures)
    sessions = _order_ids(sessions)
    sessions, posts, ads = (_object_strings(f) for f in (sessions, posts, ads))
    world = World(config, customers, posts, ads, sessions, exposures)
    world.deals = _deals(config, sessions, customers, posts)
    world.truth = ground_truth(world)
    world.additive_truth = shapley_truth(world)
    return world


def _object_strings(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as plain object arrays: the writers slice them every day, and ``to_numpy`` on pandas' Arrow
    strings copies the whole column each time."""
    for name in frame.columns:
        if pd.api.types.is_string_dtype(frame[name].dtype) and frame[name].dtype != object:
            frame[name] = frame[name].astype(object)
    return frame


def _subtotals(sessions: pd.DataFrame) -> np.ndarray:
    """Basket subtotal of every session, without materialising the line items."""
    seed = sessions["basket_seed"].to_numpy()
    n_lines = sessions["n_lines"].to_numpy()
    prices = np.array([p[2] for p in PRODUCTS])
    total = np.zeros(len(sessions))
    for line_number in (1, 2, 3):  # the same arithmetic as basket_lines, one line position at a time
        mix = (seed * 2654435761 + line_number * 40503) % (2**31)
        amount = (1 + (mix // 7) % 3 // 2) * prices[mix % len(PRODUCTS)]
        total += np.where(n_lines >= line_number, amount, 0.0)
    return total


def _order_money(
    config: WorldConfig, sessions: pd.DataFrame, customers: pd.DataFrame, posts: pd.DataFrame, exposures: pd.DataFrame
) -> pd.DataFrame:
    """Coupon, discount, shipping, tax, refunds and the net revenue an order books (fixed per session)."""
    follows = customers["follows_influencer"].to_numpy()[sessions["customer_index"].to_numpy()]
    coupon = np.full(len(sessions), "", dtype=object)
    rate = np.zeros(len(sessions))
    # influencer followers exposed in the last 30 days use the code 60% of the time
    key = _offset(sessions["customer_index"].to_numpy(), sessions["ts"].to_numpy())
    exp_keys = (
        np.sort(_offset(exposures["customer_index"].to_numpy(), exposures["ts"].to_numpy()))
        if len(exposures)
        else np.array([], dtype=np.int64)
    )
    exposed = _window_counts(exp_keys, key) > 0
    infl_session = (sessions["channel"] == "instagram_influencer").to_numpy()
    uses = (follows >= 0) & (exposed | infl_session) & (sessions["basket_seed"].to_numpy() % 10 < 6)
    codes = np.array([c for _, c in INFLUENCERS], dtype=object)
    coupon[uses] = codes[follows[uses]]
    rate[uses] = np.where(coupon[uses] == "LEO15", 0.15, 0.10)
    # a third of orders from a sales rep's LinkedIn post use that rep's code
    post_index = sessions["post_index"].to_numpy()
    rep = np.where(post_index >= 0, posts["rep_index"].to_numpy()[np.clip(post_index, 0, None)], -1)
    rep_uses = (rep >= 0) & (sessions["basket_seed"].to_numpy() % 3 == 0) & (coupon == "")
    coupon[rep_uses] = np.array(REP_COUPONS, dtype=object)[rep[rep_uses]]
    rate[rep_uses] = 0.20
    sessions["coupon_code"] = coupon
    sessions["discount_rate"] = rate
    sessions["discount_amount"] = np.round(sessions["subtotal"] * rate, 2)
    # the WooCommerce trade storefront collects no tax and ships free (its automatic `freeship` coupon)
    woo = (sessions["sales_system"] == "woocommerce").to_numpy()
    sessions["shipping"] = np.where(woo | (sessions["subtotal"] >= 100), 0.0, 6.9)
    taxable = sessions["subtotal"] - sessions["discount_amount"]
    sessions["taxes"] = np.where(woo, 0.0, np.round(taxable * (0.2 if config.locale == "fr" else 0.08), 2))
    sessions["total"] = np.round(taxable + sessions["shipping"] + sessions["taxes"], 2)
    draw = sessions["refund_draw"].to_numpy()
    sessions["is_cancelled"] = draw < 0.02
    sessions["refunded_amount"] = np.where((draw >= 0.02) & (draw < 0.07), np.round(sessions["total"] * 0.5, 2), 0.0)
    sessions["net_revenue"] = np.where(
        sessions["is_cancelled"], 0.0, np.round(sessions["total"] - sessions["refunded_amount"], 2)
    )
    return sessions


def _order_ids(sessions: pd.DataFrame) -> pd.DataFrame:
    """The id each order gets in its sales system, numbered in time order per system.

    Shopify: ``Id`` (13 digits) and ``Name`` (``#1001``…); WooCommerce: ``Order #`` (5-6 digits);
    Stripe Payment Links: ``Client Reference ID`` (``SRPL-100001``…). GA4's ``ecommerce.transaction_id`` is
    ``order_id``. The formats never collide, so ids are unique across systems.
    """
    order_id = np.full(len(sessions), "", dtype=object)
    order_name = np.full(len(sessions), "", dtype=object)
    conv = sessions["converted"].to_numpy()
    system = sessions["sales_system"].to_numpy()
    ts = sessions["ts"].to_numpy()
    for name in SALES_SYSTEMS:
        rows = np.flatnonzero(conv & (system == name))
        rows = rows[np.argsort(ts[rows], kind="stable")]
        rank = pd.Series(np.arange(len(rows), dtype=np.int64))
        if name == "shopify":
            order_id[rows] = (5510000000000 + rank * 7).astype(str).to_numpy()
            order_name[rows] = ("#" + (1001 + rank).astype(str)).to_numpy()
        elif name == "woocommerce":
            order_id[rows] = (48001 + rank * 3).astype(str).to_numpy()
            order_name[rows] = order_id[rows]
        else:
            order_id[rows] = ("SRPL-" + (100001 + rank).astype(str)).to_numpy()
            order_name[rows] = order_id[rows]
    sessions["order_id"] = order_id
    sessions["order_name"] = order_name
    # 1 for a customer's first order (any system), 2 for the second… (sessions are sorted by customer, time)
    number = np.zeros(len(sessions), dtype=np.int64)
    number[conv] = sessions.loc[conv, "customer_index"].groupby(sessions.loc[conv, "customer_index"]).cumcount() + 1
    sessions["customer_order_number"] = number
    return sessions


def _deals(config: WorldConfig, sessions: pd.DataFrame, customers: pd.DataFrame, posts: pd.DataFrame) -> pd.DataFrame:
    """B2B deals opened by clicks on sales reps' LinkedIn posts (a separate conversion type from orders)."""
    post_index = sessions["post_index"].to_numpy()
    rep = np.where(post_index >= 0, posts["rep_index"].to_numpy()[np.clip(post_index, 0, None)], -1)
    is_li = (sessions["channel"] == "linkedin_organic").to_numpy()
    rows = np.flatnonzero(is_li & (rep >= 0) & (sessions["deal_draw"].to_numpy() < DEAL_RATE))
    rows = rows[np.argsort(sessions["ts"].to_numpy()[rows], kind="stable")]
    rng = _rng(config, 6)
    n = len(rows)
    created = sessions["ts"].to_numpy()[rows] + rng.integers(1 * DAY_S, 10 * DAY_S, n)
    amount = np.round(rng.lognormal(9.4, 0.8, n), -2).clip(500, None)
    outcome_draw = rng.random(n)
    cuts = np.cumsum([p for _, p in DEAL_OUTCOMES])[:-1]
    outcome = np.array([o for o, _ in DEAL_OUTCOMES])[np.searchsorted(cuts, outcome_draw, side="right")]
    cycle = rng.integers(14, 91, n) * DAY_S + rng.integers(0, DAY_S, n)
    close = created + cycle
    crm = np.where(rng.random(n) < DEAL_CRM_SALESFORCE_SHARE, "salesforce", "hubspot")
    units = rng.integers(2, 40, n) * 10
    kind = np.where(rng.random(n) < 0.8, "New Customer", "Existing Customer - Upgrade")
    cust_index = sessions["customer_index"].to_numpy()[rows]
    cust = customers.iloc[cust_index]
    suffix = np.array(COMPANY_SUFFIXES, dtype=object)[cust["customer_id"].to_numpy() % len(COMPANY_SUFFIXES)]
    deal_number = pd.Series(np.arange(1001, 1001 + n))
    account = pd.Series(cust["last_name"].to_numpy()) + " " + pd.Series(suffix)
    deals = pd.DataFrame(
        {
            "deal_number": deal_number.to_numpy(),
            "crm": crm,
            "rep_index": rep[rows],
            "sales_rep": np.array(SALES_REPS, dtype=object)[rep[rows]],
            "session_row": rows,
            "post_index": post_index[rows],
            "customer_index": cust_index,
            "contact_email": cust["email"].to_numpy(),
            "contact_name": (cust["first_name"] + " " + cust["last_name"]).to_numpy(),
            "account_name": account.to_numpy(),
            "deal_name": (
                account + " - Wholesale " + pd.Series(units).astype(str) + " units (D-" + deal_number.astype(str) + ")"
            ).to_numpy(),
            "type": kind,
            "created_ts": created,
            "close_ts": close,
            "outcome": outcome,
            "amount": amount,
        }
    )
    # only deals opened within the simulated window exist in the CRMs
    return deals[deals["created_ts"] < config.end_epoch].reset_index(drop=True)


def deal_truth(world: World) -> pd.DataFrame:
    """Per sales rep, the deals their LinkedIn posts opened and the amount won, as of the end of the window."""
    d = world.deals
    end = world.config.end_epoch
    closed = d["close_ts"] < end
    won = closed & (d["outcome"] == "won")
    rows = []
    for index, rep in enumerate(SALES_REPS):
        mine = (d["rep_index"] == index).to_numpy()
        rows.append(
            {
                "sales_rep": rep,
                "channel": "linkedin_organic",
                "deals": int(mine.sum()),
                "deals_won": int((mine & won).sum()),
                "deals_lost": int((mine & closed & (d["outcome"] == "lost")).sum()),
                "deals_open": int((mine & ~closed).sum() + (mine & closed & (d["outcome"] == "open")).sum()),
                "amount_won": round(float(d.loc[mine & won, "amount"].sum()), 2),
                "deals_salesforce": int((mine & (d["crm"] == "salesforce")).sum()),
                "deals_hubspot": int((mine & (d["crm"] == "hubspot")).sum()),
            }
        )
    return pd.DataFrame(rows)


def shapley_truth(world: World) -> pd.DataFrame:
    """The additive truth: each social channel's Shapley value of the world's revenue game (simulate/truth.py)."""
    from social_roi.simulate.truth import additive_truth

    sessions = world.sessions
    effects = touch_effects(sessions, world.exposures, world.config.scenario)
    platforms = {c[0]: c[1] for c in CHANNELS if c[1] is not None}
    return additive_truth(
        effects, sessions["u"].to_numpy(), sessions["net_revenue"].to_numpy(), platforms, seed=world.config.seed
    )


def ground_truth(world: World) -> pd.DataFrame:
    """Each social channel's causal incremental orders and revenue, by re-simulating the world without it."""
    sessions, exposures = world.sessions, world.exposures
    revenue = sessions["net_revenue"].to_numpy()
    base_conv = sessions["converted"].to_numpy()
    total_revenue = float(revenue[base_conv].sum())
    effects = touch_effects(sessions, exposures, world.config.scenario)
    rows = []
    for name, platform, *_ in CHANNELS:
        if platform is None:
            continue
        without = outcomes(sessions, exposures, removed=name, effects=effects)
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
