"""Helpers shared by the export writers: ids, landing URLs, number/date formatting, deterministic file output.

Every writer must produce byte-identical files for the same seed, so xlsx and zip files are written with fixed
timestamps (openpyxl and zipfile would otherwise stamp the current time).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from social_roi.simulate.world import CHANNELS, INFLUENCERS, World

SHOP_DOMAIN = "https://shop.example.com"
PAGE_ID = "104857362012345"
IG_ACCOUNT_ID = "17841400123456789"
X_HANDLE = "exampleshop"
TIKTOK_HANDLE = "exampleshop"
YOUTUBE_CHANNEL = "Example Shop"
SNAPSHOT_MAX_AGE_DAYS = 28  # organic exports list posts published in the last 4 weeks
YOUTUBE_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def utc(epoch) -> pd.DatetimeIndex:
    return pd.to_datetime(np.asarray(epoch, dtype="int64"), unit="s", utc=True)


def fmt_ts(epoch) -> np.ndarray:
    return utc(epoch).strftime("%Y-%m-%d %H:%M:%S +0000").to_numpy()


def day_end_epoch(day: date) -> int:
    """The first second after ``day`` (UTC)."""
    return int(datetime.combine(day + timedelta(days=1), datetime.min.time(), UTC).timestamp())


def mdy(epoch) -> np.ndarray:
    """``M/D/YYYY`` without zero padding (LinkedIn Campaign Manager, Salesforce en)."""
    t = utc(epoch)
    return (
        pd.Series(t.month.astype(str)) + "/" + pd.Series(t.day.astype(str)) + "/" + pd.Series(t.year.astype(str))
    ).to_numpy()


def num(value: float, locale: str, decimals: int = 2) -> str:
    text = f"{value:,.{decimals}f}"
    if locale == "fr":  # "1 234,56" with a narrow no-break space, as French exports write it
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


def money2(values) -> np.ndarray:
    """Plain ``1234.50`` strings."""
    return pd.Series(np.asarray(values, dtype=float)).map("{:.2f}".format).astype(str).to_numpy()


def ucfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


def write_csv(path: Path, header: list[str], rows, quote_all: bool = False, delimiter: str = ",") -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_frame(path: Path, frame: pd.DataFrame, **kw) -> Path:
    frame.to_csv(path, index=False, lineterminator="\r\n" if kw.pop("crlf", False) else "\n", **kw)
    return path


def _zip_time(when: datetime) -> tuple:
    return (when.year, when.month, when.day, when.hour, when.minute, when.second - when.second % 2)


def write_zip(path: Path, members: dict[str, bytes], when: datetime) -> Path:
    """A zip with fixed member timestamps, so the bytes only depend on the content."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=_zip_time(when))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    path.write_bytes(buffer.getvalue())
    return path


def save_xlsx(workbook, path: Path, when: datetime) -> Path:
    """Save an openpyxl workbook deterministically: fixed document properties and zip timestamps."""
    naive = when.replace(tzinfo=None)
    workbook.properties.created = naive
    workbook.properties.modified = naive
    workbook.properties.creator = "Example Shop"
    raw = io.BytesIO()
    workbook.save(raw)
    members = {}
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as zf:
        for info in zf.infolist():
            members[info.filename] = zf.read(info.filename)
    core = members.get("docProps/core.xml")
    if core is not None:  # belt and braces: openpyxl versions differ on when they stamp `modified`
        stamp = naive.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
        core = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, core)
        members["docProps/core.xml"] = re.sub(rb"(<dcterms:created[^>]*>)[^<]*", rb"\g<1>" + stamp, core)
    return write_zip(path, members, naive)


def export_time(day: date) -> datetime:
    """When the files of ``day`` are downloaded: shortly after midnight UTC the next day."""
    return datetime.combine(day + timedelta(days=1), datetime.min.time()) + timedelta(hours=2, minutes=14)


def _youtube_ids(index: np.ndarray) -> np.ndarray:
    """11-character YouTube video ids (URL-safe base64); every fourth one (in publish order) starts with ``-``."""
    h = (index.astype(np.uint64) + np.uint64(1)) * np.uint64(0x9E3779B97F4A7C15)
    h ^= h >> np.uint64(29)
    digits = np.stack([(h >> np.uint64(6 * k)) & np.uint64(63) for k in range(11)], axis=1).astype(np.int64)
    digits[:, 10] &= 0b111100  # the last character of a real id carries only 4 bits
    digits[np.arange(len(index)) % 4 == 1, 0] = 62  # '-': YouTube's CSVs then write the id with a leading space
    chars = np.array(list(YOUTUBE_ID_ALPHABET))[digits]
    return np.ascontiguousarray(chars).view("<U11").ravel()


def post_ids(world: World) -> pd.Series:
    """The id each platform gives a post, in the form its export and its links show."""
    idx = world.posts["post_index"].to_numpy().astype(np.int64)
    platform = world.posts["platform"].to_numpy()
    ids = np.empty(len(idx), dtype=object)
    base = {
        "instagram": (17900000000000000, 1013),
        "linkedin": (7140000000000000000, 104729),
        "x": (1860000000000000000, 130363),
        "tiktok": (7301000000000000000, 104723),
    }
    for name, (start, step) in base.items():
        m = platform == name
        ids[m] = pd.Series(start + idx[m] * step).astype(str).to_numpy()
    m = platform == "facebook"
    ids[m] = (PAGE_ID + "_" + pd.Series(122000000000000 + idx[m] * 97).astype(str)).to_numpy()
    m = platform == "youtube"
    ids[m] = _youtube_ids(idx[m]).astype(object)
    return pd.Series(ids, index=world.posts.index)


def _hex(values: np.ndarray, width: int) -> pd.Series:
    return pd.Series(values.astype(np.int64)).map(f"{{:0{width}x}}".format).astype(str)


def landing_urls(world: World) -> np.ndarray:
    """The page_location of each session: UTMs and click ids as each platform appends them."""
    s = world.sessions
    ids = post_ids(world).to_numpy()
    ads = world.ads
    out = np.empty(len(s), dtype=object)
    paths = np.array(
        ["/", "/collections/new", "/products/rain-jacket", "/products/organic-tee", "/blog/lookbook"], dtype=object
    )
    page = paths[s["basket_seed"].to_numpy() % len(paths)]
    channel = s["channel"].to_numpy()
    sid = np.arange(len(s), dtype=np.int64)
    post_index = s["post_index"].to_numpy()
    ad_index = s["ad_index"].to_numpy()
    rep_of_post = world.posts["rep_index"].to_numpy()
    for name, platform, source, medium, *_ in CHANNELS:
        rows = np.flatnonzero(channel == name)
        if rows.size == 0:
            continue
        base = SHOP_DOMAIN + pd.Series(page[rows])
        k = sid[rows]
        if name.endswith("_paid"):
            ad = ads.iloc[ad_index[rows]]
            q = (
                "?utm_source="
                + source
                + "&utm_medium="
                + medium
                + "&utm_campaign="
                + pd.Series(ad["campaign_id"].to_numpy())
                + "&utm_content="
                + pd.Series(ad["ad_id"].to_numpy())
            )
            if platform == "tiktok":
                q = q + "&ttclid=E.C.P.Cg" + pd.Series(k).astype(str).str.zfill(12)
            elif platform == "linkedin":
                q = q + "&li_fat_id=" + _hex(k, 8) + "-5a1e-4c0d-9b7f-" + _hex((k * 2654435761) % (16**12), 12)
            else:
                q = q + "&fbclid=IwAR" + pd.Series(k).astype(str).str.zfill(10) + "x"
        elif name.endswith("_organic"):
            p = post_index[rows]
            reps = rep_of_post[p]
            q = (
                "?utm_source="
                + source
                + "&utm_medium="
                + medium
                + "&utm_campaign=organic&utm_content="
                + pd.Series(ids[p])
            )
            term = pd.Series(np.where(reps >= 0, "&utm_term=rep_" + pd.Series(reps + 1).astype(str), ""))
            q = q + term
            if platform == "linkedin":
                q = q + "&li_fat_id=" + _hex(k, 8) + "-rep"
            elif platform == "x":
                q = q + "&twclid=" + pd.Series(k).astype(str).str.zfill(12)
        elif name == "instagram_influencer":
            handles = np.array([h for h, _ in INFLUENCERS], dtype=object)[s["influencer_index"].to_numpy()[rows]]
            q = "?utm_source=instagram&utm_medium=influencer&utm_campaign=" + pd.Series(handles)
        elif name == "email":
            q = pd.Series(["?utm_source=newsletter&utm_medium=email&utm_campaign=weekly"] * len(rows))
        else:
            q = pd.Series([""] * len(rows))
        out[rows] = (base + q.to_numpy()).to_numpy()
    return out


def utm_fields(urls: np.ndarray) -> pd.DataFrame:
    """utm_source … utm_term of each URL ('' when absent)."""
    text = pd.Series(urls, dtype=object)
    out = {}
    for key in ("source", "medium", "campaign", "content", "term"):
        out[key] = text.str.extract(rf"[?&]utm_{key}=([^&]*)")[0].fillna("").to_numpy()
    return pd.DataFrame(out)


def traffic_fields(world: World) -> pd.DataFrame:
    s = world.sessions
    source = np.full(len(s), "(direct)", dtype=object)
    medium = np.full(len(s), "(none)", dtype=object)
    channel = s["channel"].to_numpy()
    for name, _platform, src, med, *_ in CHANNELS:
        if src:
            mask = channel == name
            source[mask] = src
            medium[mask] = med
    return pd.DataFrame({"source": source, "medium": medium})
