"""Deterministic, clearly illustrated demo images drawn with Pillow.

Nothing here is a photograph: every picture is a flat cartoon built from simple
shapes, and portraits and vehicles carry a "FICTIONAL — demo" corner ribbon so
nobody can mistake demo content for a real child or a real car.

The same arguments always give the same PNG bytes (no timestamps or other
metadata are written).

Seeds for portraits may have the form ``"identity/variant"``: everything that
makes the face recognisable (face shape, hair style, eyes, features) comes from
the part before the first ``/``, while the background, clothes and expression
come from the whole seed.  Photos of the same demo child therefore look like the
same child in different pictures.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import random
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from PIL import Image, ImageChops, ImageDraw, ImageFont

__all__ = [
    "COLOUR_NAMES",
    "EYE_COLOURS",
    "HAIR_COLOURS",
    "HAIR_STYLES",
    "SKIN_TONES",
    "logo_png",
    "portrait_png",
    "vehicle_png",
]

RGB = tuple[int, int, int]

# Supersampling factor: shapes are drawn at SCALE x the output size and then
# downsampled, which gives smooth anti-aliased edges.
SCALE = 2

SKIN_TONES: dict[str, RGB] = {
    "fair": (255, 228, 210),
    "light": (248, 214, 186),
    "light_medium": (233, 188, 150),
    "olive": (214, 170, 122),
    "medium": (198, 145, 104),
    "medium_dark": (160, 108, 72),
    "dark": (120, 78, 50),
    "deep": (88, 56, 38),
}

HAIR_COLOURS: dict[str, RGB] = {
    "black": (38, 32, 32),
    "dark_brown": (74, 48, 32),
    "brown": (112, 72, 44),
    "light_brown": (154, 110, 66),
    "blonde": (226, 188, 112),
    "red": (184, 82, 40),
    "auburn": (130, 56, 36),
}

EYE_COLOURS: dict[str, RGB] = {
    "dark_brown": (70, 44, 28),
    "brown": (112, 70, 36),
    "hazel": (140, 110, 50),
    "green": (76, 130, 72),
    "blue": (70, 120, 190),
    "grey": (120, 132, 140),
}

HAIR_STYLES = (
    "short",
    "side_part",
    "spiky",
    "buzz",
    "curly",
    "afro",
    "bob",
    "long",
    "ponytail",
    "pigtails",
    "bun",
)

_STYLE_WEIGHTS = {
    None: dict.fromkeys(HAIR_STYLES, 1),
    "male": {"short": 5, "side_part": 4, "spiky": 3, "buzz": 3, "curly": 3, "afro": 1},
    "female": {"bob": 3, "long": 4, "ponytail": 4, "pigtails": 3, "bun": 2, "curly": 2, "afro": 1},
}

_BACKGROUNDS: tuple[RGB, ...] = (
    (200, 228, 246),
    (214, 238, 214),
    (250, 230, 200),
    (236, 220, 246),
    (252, 222, 222),
    (220, 236, 236),
    (246, 242, 204),
    (226, 226, 240),
)

_SHIRTS: tuple[RGB, ...] = (
    (232, 90, 79),
    (64, 120, 200),
    (250, 186, 60),
    (80, 170, 120),
    (150, 100, 190),
    (240, 130, 170),
    (60, 70, 90),
    (40, 160, 180),
    (230, 120, 50),
)

COLOUR_NAMES: dict[str, RGB] = {
    # English keys (canonical)
    "white": (238, 240, 242),
    "black": (40, 42, 46),
    "silver": (180, 186, 192),
    "grey": (118, 124, 130),
    "gray": (118, 124, 130),
    "red": (196, 40, 44),
    "maroon": (120, 30, 40),
    "blue": (40, 90, 180),
    "navy": (30, 44, 96),
    "light_blue": (120, 176, 220),
    "green": (40, 130, 70),
    "dark_green": (30, 80, 50),
    "yellow": (240, 200, 40),
    "orange": (236, 120, 30),
    "beige": (214, 196, 160),
    "brown": (110, 74, 46),
    "gold": (196, 160, 70),
    "purple": (110, 60, 150),
    # Spanish
    "blanco": (238, 240, 242),
    "negro": (40, 42, 46),
    "plateado": (180, 186, 192),
    "gris": (118, 124, 130),
    "rojo": (196, 40, 44),
    "azul": (40, 90, 180),
    "verde": (40, 130, 70),
    "amarillo": (240, 200, 40),
    "beige claro": (214, 196, 160),
    "café": (110, 74, 46),
    # Ukrainian
    "білий": (238, 240, 242),
    "чорний": (40, 42, 46),
    "сріблястий": (180, 186, 192),
    "сірий": (118, 124, 130),
    "червоний": (196, 40, 44),
    "синій": (40, 90, 180),
    "зелений": (40, 130, 70),
    "жовтий": (240, 200, 40),
    "бежевий": (214, 196, 160),
    "коричневий": (110, 74, 46),
    # Arabic
    "أبيض": (238, 240, 242),
    "أسود": (40, 42, 46),
    "فضي": (180, 186, 192),
    "رمادي": (118, 124, 130),
    "أحمر": (196, 40, 44),
    "أزرق": (40, 90, 180),
    "أخضر": (40, 130, 70),
    "أصفر": (240, 200, 40),
    "بيج": (214, 196, 160),
    "بني": (110, 74, 46),
}

_FALLBACK_FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
)


# --------------------------------------------------------------------------- helpers


def _colour(value: str | Sequence[int] | None, table: dict[str, RGB], rng: random.Random) -> RGB:
    """Resolve a palette key, ``#rrggbb`` string or RGB tuple; None picks from the table."""
    if value is None:
        return table[rng.choice(sorted(table))]
    if isinstance(value, str):
        key = value.strip().lower().replace(" ", "_").replace("-", "_")
        if key in table:
            return table[key]
        if value.strip().lower() in table:
            return table[value.strip().lower()]
        return _hex(value)
    r, g, b = (int(c) for c in list(value)[:3])
    return (r, g, b)


def _hex(value: str) -> RGB:
    text = value.strip().lstrip("#")
    if len(text) == 3:
        text = "".join(ch * 2 for ch in text)
    if len(text) != 6:
        raise ValueError(f"Not a colour name or #rrggbb value: {value!r}")
    try:
        return (int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16))
    except ValueError as exc:
        raise ValueError(f"Not a colour name or #rrggbb value: {value!r}") from exc


def _mix(a: RGB, b: RGB, t: float) -> RGB:
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def _shade(c: RGB, amount: float) -> RGB:
    """Darken (amount > 0) or lighten (amount < 0) a colour."""
    if amount >= 0:
        return _mix(c, (0, 0, 0), amount)
    return _mix(c, (255, 255, 255), -amount)


def _luminance(c: RGB) -> float:
    return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]


def _to_png(img: Image.Image, colours: int = 128) -> bytes:
    """Quantise to a small palette (flat illustrations need few colours) and encode."""
    pal = img.convert("RGB").quantize(
        colors=colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
    )
    buf = io.BytesIO()
    pal.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


@cache
def _default_glyph(size: int, ch: str) -> bytes:
    """Rendered bitmap of one character in Pillow's default font."""
    font = ImageFont.load_default(size=size)
    im = Image.new("L", (size * 2, size * 2), 0)
    ImageDraw.Draw(im).text((0, 0), ch, font=font, fill=255)
    return im.tobytes()


def _default_supports(size: int, text: str) -> bool:
    missing = _default_glyph(size, "\ue000")  # private-use code point: the "tofu" box
    return all(ch.isspace() or _default_glyph(size, ch) != missing for ch in set(text))


def _font(size: int, text: str) -> tuple[ImageFont.FreeTypeFont | ImageFont.ImageFont, str]:
    """Pillow's default font when it has every glyph, else a system DejaVu font.

    If neither is available the text is reduced to ASCII-friendly punctuation.
    """
    if _default_supports(size, text):
        return ImageFont.load_default(size=size), text
    for path in _FALLBACK_FONTS:
        if os.path.exists(path):
            return ImageFont.truetype(path, size), text
    return ImageFont.load_default(size=size), text.replace("—", "-").replace("–", "-")


def _ribbon(img: Image.Image, text: str, *, colour: RGB = (200, 30, 40)) -> None:
    """Diagonal ribbon across the top-left corner carrying ``text``."""
    w, _ = img.size
    band = round(w * 0.075)  # ribbon thickness
    off = round(w * 0.19)  # distance of the ribbon centre line from the corner
    draw = ImageDraw.Draw(img)
    a, b = off - band // 2, off + band // 2
    draw.polygon([(0, a), (a, 0), (b, 0), (0, b)], fill=colour)
    edge = _shade(colour, 0.25)
    draw.line([(0, a), (a, 0)], fill=edge, width=max(1, band // 14))
    draw.line([(0, b), (b, 0)], fill=edge, width=max(1, band // 14))

    length = round(off * 1.414)  # ribbon centre-line length inside the image
    size = max(8, round(band * 0.5))
    font, text = _font(size, text)
    while size > 8 and draw.textlength(text, font=font) > length * 0.86:
        size -= 1
        font, text = _font(size, text)
    label = Image.new("RGBA", (length, band), (0, 0, 0, 0))
    ImageDraw.Draw(label).text(
        (length / 2, band / 2), text, font=font, fill=(255, 255, 255, 255), anchor="mm"
    )
    label = label.rotate(45, resample=Image.Resampling.BICUBIC, expand=True)
    cx = cy = off / 2
    img.paste(label, (round(cx - label.width / 2), round(cy - label.height / 2)), label)


# --------------------------------------------------------------------------- portrait


def _clamp(v: float, lo: float, hi: float) -> float:
    return max(lo, min(hi, v))


def portrait_png(
    seed: str,
    *,
    size: tuple[int, int] = (600, 750),
    skin: str | Sequence[int] | None = None,
    hair: str | Sequence[int] | None = None,
    label: str = "FICTIONAL",
    eyes: str | Sequence[int] | None = None,
    sex: str | None = None,
    age: int | None = None,
    glasses: bool | None = None,
    freckles: bool | None = None,
    hair_style: str | None = None,
) -> bytes:
    """Draw a friendly illustrated head-and-shoulders portrait and return PNG bytes.

    ``skin``/``hair``/``eyes`` accept a palette key (see SKIN_TONES, HAIR_COLOURS,
    EYE_COLOURS), a ``#rrggbb`` string or an RGB tuple; None picks from the seed.
    ``sex`` ("female"/"male") only biases the hair style; ``age`` (years) changes
    the proportions (younger = rounder face, bigger eyes). ``glasses``/``freckles``
    force those features on/off; None lets the seed decide.
    """
    head = _Head.drawn(
        seed,
        skin=skin,
        hair=hair,
        eyes=eyes,
        sex=sex,
        age=age,
        glasses=glasses,
        freckles=freckles,
        hair_style=hair_style,
    )
    canvas = _Canvas(size, head.bg)
    canvas.d.ellipse(canvas.box(60, 90, 540, 570), fill=_shade(head.bg, -0.35))  # soft halo
    _hair_behind(canvas, head)
    shoulders = _shoulders(canvas, head)
    _neck(canvas, head, shoulders)
    _ears(canvas, head)
    canvas.d.ellipse(
        canvas.box(head.cx - head.hw, head.top, head.cx + head.hw, head.chin), fill=head.skin
    )
    _hair_front(canvas, head)
    eyes_at = _eyes(canvas, head)
    _cheeks(canvas, head, eyes_at)
    nose_y = _nose(canvas, head, eyes_at)
    _mouth(canvas, head, nose_y)
    if head.glasses:
        _glasses(canvas, head, eyes_at)
    out = canvas.img.resize(size, Image.Resampling.LANCZOS)
    _ribbon(out, f"{label or 'FICTIONAL'} — demo")
    return _to_png(out)


class _Canvas:
    """The drawing, made at SCALE times the requested size in the units of a 600 × 750 grid."""

    W, H = 600, 750  # design grid; everything is scaled to the requested size

    def __init__(self, size: tuple[int, int], background: RGB) -> None:
        self.sx = size[0] / self.W * SCALE
        self.sy = size[1] / self.H * SCALE
        self.img = Image.new("RGB", (round(size[0] * SCALE), round(size[1] * SCALE)), background)
        self.d = ImageDraw.Draw(self.img)

    def P(self, x: float, y: float) -> tuple[float, float]:  # a point, as drawn
        return (x * self.sx, y * self.sy)

    def box(self, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        return (x0 * self.sx, y0 * self.sy, x1 * self.sx, y1 * self.sy)

    def lw(self, v: float) -> int:
        return max(1, round(v * (self.sx + self.sy) / 2))


@dataclass
class _Head:
    """What a portrait shows, drawn from the seed: the same child (the seed's part before "/")
    keeps the face; a variant changes background, clothes and expression."""

    identity: str
    features: random.Random  # the identity's generator, still drawn from while painting
    skin: RGB
    hair: RGB
    eye: RGB
    style: str
    glasses: bool
    freckles: bool
    eye_gap_jit: float
    brow_tilt: float
    nose_style: str
    part_left: bool
    ear_size: float
    bg: RGB
    shirt: RGB
    neckline: str
    smile: str
    stripes: bool
    t: float  # age: 0 toddler, 1 adult
    cx: float
    cy: float
    hw: float  # half width of the face
    hh: float  # half height of the face

    @property
    def top(self) -> float:
        return self.cy - self.hh

    @property
    def chin(self) -> float:
        return self.cy + self.hh

    @property
    def hair_dark(self) -> RGB:
        return _shade(self.hair, 0.25)

    @property
    def skin_dark(self) -> RGB:
        return _shade(self.skin, 0.12)

    @property
    def skin_line(self) -> RGB:
        return _shade(self.skin, 0.35)

    @classmethod
    def drawn(
        cls,
        seed: str,
        *,
        skin: str | Sequence[int] | None,
        hair: str | Sequence[int] | None,
        eyes: str | Sequence[int] | None,
        sex: str | None,
        age: int | None,
        glasses: bool | None,
        freckles: bool | None,
        hair_style: str | None,
    ) -> _Head:
        identity = seed.split("/", 1)[0]
        idr = random.Random(f"portrait-identity:{identity}")  # stable face features
        var = random.Random(f"portrait-variant:{seed}")  # background, clothes, expression
        skin_c = _colour(skin, SKIN_TONES, idr)
        hair_c = _colour(hair, HAIR_COLOURS, idr)
        eye_c = _colour(eyes, EYE_COLOURS, idr)
        if sum(abs(a - b) for a, b in zip(hair_c, skin_c, strict=True)) < 110:
            # keep hair readable against a similar skin tone
            hair_c = _shade(hair_c, 0.45) if _luminance(skin_c) < 170 else _shade(hair_c, -0.35)
        style = _hair_style(hair_style, sex, idr)
        has_glasses = idr.random() < 0.2 if glasses is None else glasses
        has_freckles = idr.random() < 0.25 if freckles is None else freckles
        face_w_jit = idr.uniform(-8, 8)
        face_h_jit = idr.uniform(-8, 8)
        t = 0.45 if age is None else _clamp((age - 2) / 16, 0.0, 1.0)
        return cls(
            identity=identity,
            features=idr,
            skin=skin_c,
            hair=hair_c,
            eye=eye_c,
            style=style,
            glasses=has_glasses,
            freckles=has_freckles,
            eye_gap_jit=idr.uniform(-5, 5),
            brow_tilt=idr.uniform(-4, 6),
            nose_style=idr.choice(("button", "curve", "line")),
            part_left=idr.random() < 0.5,
            ear_size=idr.uniform(0.9, 1.1),
            bg=var.choice(_BACKGROUNDS),
            shirt=var.choice(_SHIRTS),
            neckline=var.choice(("round", "vee", "collar", "hoodie")),
            smile=var.choice(("closed", "closed", "open", "grin")),
            stripes=var.random() < 0.3,
            t=t,
            cx=300.0,
            cy=330.0 - 10 * t,
            hw=122 - 10 * t + face_w_jit,
            hh=140 + 22 * t + face_h_jit,
        )


def _hair_style(asked: str | None, sex: str | None, rng: random.Random) -> str:
    if asked is None:
        weights = _STYLE_WEIGHTS.get(sex, _STYLE_WEIGHTS[None])
        names = sorted(weights)
        return rng.choices(names, weights=[weights[n] for n in names])[0]
    if asked in HAIR_STYLES:
        return asked
    raise ValueError(f"Unknown hair style {asked!r}; choose from {HAIR_STYLES}")


def _hair_behind(c: _Canvas, h: _Head) -> None:
    """Long styles, buns and tails: the hair behind the head and shoulders."""
    d, box, lw, cx, cy, hw, hh, hair_c = c.d, c.box, c.lw, h.cx, h.cy, h.hw, h.hh, h.hair
    if h.style == "long":
        d.rounded_rectangle(
            box(cx - hw - 26, cy - 40, cx + hw + 26, h.chin + 120), radius=lw(60), fill=hair_c
        )
    elif h.style == "bob":
        d.rounded_rectangle(
            box(cx - hw - 24, cy - 60, cx + hw + 24, h.chin - 20), radius=lw(50), fill=hair_c
        )
    elif h.style == "afro":
        for i in range(14):
            ang = i / 14
            rx = cx + math.cos(ang * 2 * math.pi) * (hw + 22)
            ry = cy - 30 + math.sin(ang * 2 * math.pi) * (hh + 10)
            d.ellipse(box(rx - 55, ry - 55, rx + 55, ry + 55), fill=hair_c)
        d.ellipse(box(cx - hw - 50, h.top - 50, cx + hw + 50, cy + 90), fill=hair_c)
    elif h.style == "ponytail":
        side = 1 if h.part_left else -1
        px = cx + side * (hw + 30)
        d.ellipse(box(px - 40, cy - 60, px + 40, cy + 120), fill=hair_c)
        d.ellipse(box(px - 22, cy - 90, px + 22, cy - 50), fill=h.shirt)
    elif h.style == "pigtails":
        for side in (-1, 1):
            px = cx + side * (hw + 34)
            d.ellipse(box(px - 34, cy + 10, px + 34, cy + 150), fill=hair_c)
            d.ellipse(box(px - 16, cy - 2, px + 16, cy + 26), fill=h.shirt)
    elif h.style == "bun":
        d.ellipse(box(cx - 55, h.top - 75, cx + 55, h.top + 30), fill=hair_c)
        d.arc(
            box(cx - 40, h.top - 60, cx + 40, h.top + 10), 200, 320, fill=h.hair_dark, width=lw(5)
        )


def _shoulders(c: _Canvas, h: _Head) -> float:
    """The shirt (striped or not); returns where the shoulders start."""
    box, cx, t = c.box, h.cx, h.t
    sh_half = 205 + 45 * t
    sh_top = h.chin + 55 - 10 * t
    shirt_box = box(cx - sh_half, sh_top, cx + sh_half, sh_top + 420)
    c.d.ellipse(shirt_box, fill=h.shirt)
    if h.stripes:
        stripe_mask = Image.new("L", c.img.size, 0)
        sd = ImageDraw.Draw(stripe_mask)
        y = sh_top + 60
        while y < c.H:
            sd.rectangle(box(0, y, c.W, y + 16), fill=255)
            y += 46
        shirt_mask = Image.new("L", c.img.size, 0)
        ImageDraw.Draw(shirt_mask).ellipse(shirt_box, fill=255)
        c.img.paste(_shade(h.shirt, -0.3), mask=ImageChops.multiply(stripe_mask, shirt_mask))
    return sh_top


def _neck(c: _Canvas, h: _Head, sh_top: float) -> None:
    """The neck and the shirt's neckline: round, vee, collar or hood."""
    d, box, P, lw, cx = c.d, c.box, c.P, c.lw, h.cx
    skin_dark, trim = h.skin_dark, _shade(h.shirt, 0.2)
    neck_half = 44 + 8 * h.t
    d.rectangle(box(cx - neck_half, h.chin - 40, cx + neck_half, sh_top + 40), fill=skin_dark)
    if h.neckline == "round":
        d.chord(box(cx - 70, sh_top - 30, cx + 70, sh_top + 60), 0, 180, fill=skin_dark)
        d.arc(box(cx - 74, sh_top - 34, cx + 74, sh_top + 64), 0, 180, fill=trim, width=lw(8))
    elif h.neckline == "vee":
        d.polygon(
            [P(cx - 62, sh_top + 6), P(cx + 62, sh_top + 6), P(cx, sh_top + 90)], fill=skin_dark
        )
        d.line(
            [P(cx - 64, sh_top + 4), P(cx, sh_top + 92), P(cx + 64, sh_top + 4)],
            fill=trim,
            width=lw(8),
            joint="curve",
        )
    elif h.neckline == "collar":
        d.chord(box(cx - 60, sh_top - 20, cx + 60, sh_top + 50), 0, 180, fill=skin_dark)
        collar = _shade(h.shirt, -0.6)
        for side in (-1, 1):
            d.polygon(
                [
                    P(cx + side * 66, sh_top + 2),
                    P(cx + side * 4, sh_top + 40),
                    P(cx + side * 30, sh_top + 70),
                    P(cx + side * 80, sh_top + 24),
                ],
                fill=collar,
            )
    else:  # hoodie
        d.chord(box(cx - 64, sh_top - 24, cx + 64, sh_top + 52), 0, 180, fill=skin_dark)
        hood = _shade(h.shirt, 0.25)
        d.arc(box(cx - 120, sh_top - 40, cx + 120, sh_top + 70), 10, 170, fill=hood, width=lw(16))
        for side in (-1, 1):
            x = cx + side * 34
            string = (245, 245, 245)
            d.line([P(x, sh_top + 50), P(x + side * 4, sh_top + 130)], fill=string, width=lw(6))
            d.ellipse(
                box(x + side * 4 - 6, sh_top + 126, x + side * 4 + 6, sh_top + 138), fill=string
            )


def _ears(c: _Canvas, h: _Head) -> None:
    if h.style in ("bob", "long"):
        return  # under the hair
    ey = h.cy + 10
    for side in (-1, 1):
        ex = h.cx + side * (h.hw - 4)
        er = 26 * h.ear_size
        c.d.ellipse(c.box(ex - er, ey - er * 1.3, ex + er, ey + er * 1.3), fill=h.skin)
        c.d.arc(
            c.box(ex - er * 0.55, ey - er * 0.8, ex + er * 0.55, ey + er * 0.8),
            90 - side * 80,
            270 - side * 80,
            fill=h.skin_dark,
            width=c.lw(4),
        )


class _Eyes(NamedTuple):
    y: float
    dx: float  # from the middle of the face to each eye
    rx: float  # half width of an eye


def _eyes(c: _Canvas, h: _Head) -> _Eyes:
    """Eyes (white, iris, pupil, highlight, lid) and eyebrows."""
    d, box, P, lw, t = c.d, c.box, c.P, c.lw, h.t
    eye_y = h.cy + 8 + 8 * t
    eye_dx = h.hw * 0.42 + h.eye_gap_jit
    er_x = 24 - 6 * t
    er_y = 18 - 4 * t
    brow = _shade(h.hair, 0.3) if _luminance(h.hair) > 90 else h.hair
    for side in (-1, 1):
        ex = h.cx + side * eye_dx
        d.ellipse(box(ex - er_x, eye_y - er_y, ex + er_x, eye_y + er_y), fill=(255, 255, 255))
        ir = er_y * 0.95
        d.ellipse(box(ex - ir, eye_y - ir, ex + ir, eye_y + ir), fill=h.eye)
        pr = ir * 0.5
        d.ellipse(box(ex - pr, eye_y - pr, ex + pr, eye_y + pr), fill=(25, 20, 20))
        hl = ir * 0.32
        hx, hy = ex + ir * 0.25, eye_y - ir * 0.45
        d.ellipse(box(hx - hl, hy - hl, hx + hl, hy + hl), fill=(255, 255, 255))
        lid = box(ex - er_x - 2, eye_y - er_y - 2, ex + er_x + 2, eye_y + er_y + 2)
        d.arc(lid, 195, 345, fill=(40, 30, 30), width=lw(4))
        by = eye_y - er_y - 22
        d.line(
            [P(ex - side * 26, by + h.brow_tilt), P(ex, by - 5), P(ex + side * 26, by + 3)],
            fill=brow,
            width=lw(8),
            joint="curve",
        )
    return _Eyes(eye_y, eye_dx, er_x)


def _cheeks(c: _Canvas, h: _Head, eyes: _Eyes) -> None:
    cheek = _mix(h.skin, (240, 120, 130), 0.28)
    cheek_y = eyes.y + 52
    for side in (-1, 1):
        chx = h.cx + side * (eyes.dx + 14)
        c.d.ellipse(c.box(chx - 26, cheek_y - 15, chx + 26, cheek_y + 15), fill=cheek)
    if h.freckles:
        fr = random.Random(f"freckles:{h.identity}")
        fc = _mix(h.skin, (120, 70, 40), 0.45)
        for side in (-1, 1):
            for _ in range(7):
                fx = h.cx + side * fr.uniform(22, eyes.dx + 26)
                fy = eyes.y + fr.uniform(26, 58)
                c.d.ellipse(c.box(fx - 3, fy - 3, fx + 3, fy + 3), fill=fc)


def _nose(c: _Canvas, h: _Head, eyes: _Eyes) -> float:
    """The nose; returns its height on the face."""
    cx, ny = h.cx, eyes.y + 48 + 6 * h.t
    if h.nose_style == "button":
        c.d.ellipse(c.box(cx - 12, ny - 8, cx + 12, ny + 10), fill=h.skin_dark)
    elif h.nose_style == "curve":
        c.d.arc(c.box(cx - 16, ny - 16, cx + 16, ny + 12), 20, 160, fill=h.skin_line, width=c.lw(5))
    else:
        c.d.line(
            [c.P(cx + 2, ny - 28), c.P(cx - 8, ny + 6), c.P(cx + 8, ny + 8)],
            fill=h.skin_line,
            width=c.lw(5),
            joint="curve",
        )
    return ny


def _mouth(c: _Canvas, h: _Head, nose_y: float) -> None:
    d, box, lw, cx = c.d, c.box, c.lw, h.cx
    my = nose_y + 40 + 6 * h.t
    lip = (150, 60, 60)
    if h.smile == "closed":
        d.arc(box(cx - 36, my - 30, cx + 36, my + 14), 25, 155, fill=lip, width=lw(6))
        return
    mw = 40 if h.smile == "open" else 48
    d.chord(box(cx - mw, my - 26, cx + mw, my + 26), 0, 180, fill=(120, 40, 50))
    d.chord(box(cx - mw + 6, my - 20, cx + mw - 6, my + 8), 0, 180, fill=(255, 255, 255))
    d.rectangle(box(cx - mw, my - 30, cx + mw, my - 1), fill=h.skin)
    d.chord(box(cx - 18, my + 8, cx + 18, my + 26), 180, 360, fill=(232, 120, 130))
    d.chord(box(cx - mw, my - 26, cx + mw, my + 26), 0, 180, outline=lip, width=lw(4))


def _glasses(c: _Canvas, h: _Head, eyes: _Eyes) -> None:
    d, box, P, lw, cx = c.d, c.box, c.P, c.lw, h.cx
    frame = h.features.choice(((40, 40, 50), (130, 60, 40), (40, 80, 160), (170, 40, 80)))
    gr = eyes.rx + 14
    for side in (-1, 1):
        ex = cx + side * eyes.dx
        d.rounded_rectangle(
            box(ex - gr, eyes.y - gr * 0.8, ex + gr, eyes.y + gr * 0.8),
            radius=lw(16),
            outline=frame,
            width=lw(6),
        )
        d.line(
            [P(ex + side * gr, eyes.y - 6), P(cx + side * (h.hw - 4), eyes.y - 12)],
            fill=frame,
            width=lw(5),
        )
    bridge = box(cx - eyes.dx + gr - 2, eyes.y - 18, cx + eyes.dx - gr + 2, eyes.y + 10)
    d.arc(bridge, 200, 340, fill=frame, width=lw(6))


def _hair_front(c: _Canvas, h: _Head) -> None:
    """Paint the hair covering the top of the head and the fringe."""
    colour = _mix(h.hair, h.skin, 0.35) if h.style == "buzz" else h.hair
    # Region covered by hair: an ellipse slightly bigger than the head, minus everything below
    # the hairline.
    mask = Image.new("L", c.img.size, 0)
    md = ImageDraw.Draw(mask)
    grow = {"buzz": 4, "curly": 22, "afro": 30, "spiky": 10}.get(h.style, 14)
    md.ellipse(
        c.box(h.cx - h.hw - grow, h.top - grow, h.cx + h.hw + grow, h.cy + h.hh * 0.55), fill=255
    )
    below = [c.P(*p) for p in _hairline(h)]
    below += [c.P(h.cx + h.hw + 60, h.cy + h.hh + 200), c.P(h.cx - h.hw - 60, h.cy + h.hh + 200)]
    md.polygon(below, fill=0)
    c.img.paste(colour, mask=mask)
    _hair_texture(c, h)


def _hairline(h: _Head) -> list[tuple[float, float]]:
    """Where the hair ends on the forehead and the sides, by style."""
    cx, hw, top, hh, style = h.cx, h.hw, h.top, h.hh, h.style
    hair_line_y = top + hh * 0.5  # forehead line
    side_drop = {"long": hh * 0.95, "bob": hh * 0.85, "buzz": hh * 0.45}.get(style, hh * 0.65)
    left, right = (cx - hw - 40, top + side_drop), (cx + hw + 40, top + side_drop)
    if style in ("short", "buzz", "ponytail", "bun", "pigtails"):
        sweep = -1 if h.part_left else 1
        middle = (cx, hair_line_y - 14 - (14 if style == "buzz" else 0))
        if style in ("ponytail", "bun", "pigtails"):
            # pulled-back hair with a middle or side parting
            middle = (cx + (-20 if h.part_left else 20), hair_line_y - 34)
        return [
            left,
            (cx - hw + 8, top + side_drop),
            (cx - hw * 0.6, hair_line_y - 4 + 10 * sweep),
            middle,
            (cx + hw * 0.6, hair_line_y - 4 - 10 * sweep),
            (cx + hw - 8, top + side_drop),
            right,
        ]
    if style == "side_part":
        pts = [
            left,
            (cx - hw + 6, top + side_drop),
            (cx + hw * 0.5, hair_line_y - 40),
            (cx - hw * 0.1, hair_line_y + 4),
            (cx - hw * 0.7, hair_line_y + 8),
            (cx + hw - 6, top + side_drop),
            right,
        ]
        return [(2 * cx - x, y) for x, y in reversed(pts)] if h.part_left else pts
    if style == "spiky":
        spikes = [
            (cx - hw * 0.85 + (hw * 1.7) * i / 7, hair_line_y + (6 if i % 2 == 0 else -22))
            for i in range(8)
        ]
        return [
            left,
            (cx - hw + 8, top + side_drop),
            *spikes,
            (cx + hw - 8, top + side_drop),
            right,
        ]
    # bangs for bob/long/curly/afro
    bangs = [
        (cx - hw * 0.8 + (hw * 1.6) * i / 6, hair_line_y + 10 + (8 if i % 2 else 0))
        for i in range(7)
    ]
    return [left, (cx - hw + 12, top + side_drop), *bangs, (cx + hw - 12, top + side_drop), right]


def _hair_texture(c: _Canvas, h: _Head) -> None:
    """Curls, strands, spikes and hair ties over the hair."""
    d, box, P, cx, cy, hw, top = c.d, c.box, c.P, h.cx, h.cy, h.hw, h.top
    hair_line_y = top + h.hh * 0.5
    if h.style == "curly":
        for i in range(11):
            x = cx - hw - 6 + (2 * hw + 12) * i / 10
            y = top + 18 + abs(i - 5) * 11
            d.ellipse(box(x - 30, y - 30, x + 30, y + 30), fill=h.hair)
        for i in range(5):
            x = cx - hw * 0.7 + hw * 1.4 * i / 4
            d.ellipse(box(x - 24, hair_line_y - 28, x + 24, hair_line_y + 16), fill=h.hair)
    if h.style in ("short", "side_part", "long", "bob"):
        for i in range(3):  # a couple of strands for texture
            x = cx - hw * 0.4 + i * hw * 0.35
            d.arc(
                box(x - 40, top + 16, x + 40, top + 90), 200, 300, fill=h.hair_dark, width=c.lw(4)
            )
    if h.style == "spiky":
        for i in range(5):
            x = cx - hw * 0.7 + hw * 1.4 * i / 4
            d.polygon([P(x - 22, top + 12), P(x + 4, top - 26), P(x + 22, top + 12)], fill=h.hair)
    if h.style == "pigtails":
        for side in (-1, 1):
            x = cx + side * (hw + 10)
            tie = h.features.choice(((240, 90, 120), (80, 160, 220), (250, 200, 60)))
            d.ellipse(box(x - 14, cy - 30, x + 14, cy), fill=tie)


# --------------------------------------------------------------------------- vehicle


# Where each kind of car's cabin meets the body, where its roof starts and ends, and where it
# meets the body again; a pickup has a short cab with an open bed behind.
_CABINS = {
    "sedan": (170, 222, 372, 440),
    "hatchback": (140, 200, 400, 430),
    "suv": (110, 150, 420, 445),
    "pickup": (300, 322, 420, 462),
}


def _body_colour(colour_name: str) -> RGB:
    key = colour_name.strip().lower()
    if key in COLOUR_NAMES:
        return COLOUR_NAMES[key]
    if key.replace(" ", "_") in COLOUR_NAMES:
        return COLOUR_NAMES[key.replace(" ", "_")]
    try:
        return _hex(colour_name)
    except ValueError:
        h = hashlib.sha256(colour_name.encode()).digest()
        return (h[0], h[1], h[2])


def _scenery(d: ImageDraw.ImageDraw, box, rng: random.Random, W: int, H: int) -> None:
    """Sun, two clouds, the road and its markings, the verge."""
    d.ellipse(box(440, 30, 500, 90), fill=(252, 226, 120))
    for _ in range(2):
        x = rng.uniform(60, 360)
        y = rng.uniform(30, 80)
        for dx, r in ((0, 20), (22, 26), (48, 18)):
            d.ellipse(box(x + dx - r, y - r, x + dx + r, y + r), fill=(250, 252, 255))
    d.rectangle(box(0, 290, W, H), fill=(110, 114, 120))
    for x in range(20, W, 90):
        d.rectangle(box(x, 320, x + 50, 326), fill=(240, 240, 240))
    d.rectangle(box(0, 282, W, 292), fill=(150, 190, 120))


def vehicle_png(seed: str, colour_name: str) -> bytes:
    """Draw a simple side view of a car in ``colour_name`` and return PNG bytes.

    ``colour_name`` may be an English key of COLOUR_NAMES (``"silver"``), one of
    the Spanish/Ukrainian/Arabic words listed there, or ``#rrggbb``; anything
    else gets a stable colour derived from the name.
    """
    rng = random.Random(f"vehicle:{seed}:{colour_name}")
    body = _body_colour(colour_name)

    W, H = 600, 360
    img = Image.new("RGB", (W * SCALE, H * SCALE), (206, 230, 246))
    d = ImageDraw.Draw(img)

    def box(x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        return (x0 * SCALE, y0 * SCALE, x1 * SCALE, y1 * SCALE)

    def P(x: float, y: float) -> tuple[float, float]:
        return (x * SCALE, y * SCALE)

    _scenery(d, box, rng, W, H)

    kind = rng.choice(("sedan", "hatchback", "suv", "pickup"))
    dark = _shade(body, 0.25)
    outline = _shade(body, 0.45)
    glass = (170, 210, 235)
    base_y = 270  # bottom of the body
    roof_h = {"sedan": 70, "hatchback": 72, "suv": 86, "pickup": 74}[kind]
    body_top = 190 if kind != "suv" else 176

    # cabin: where it meets the body, where the roof starts and ends, where it meets it again
    front, roof_start, roof_end, back = _CABINS[kind]
    roof = body_top - roof_h
    cabin = [(front, body_top), (roof_start, roof), (roof_end, roof), (back, body_top)]
    d.polygon([P(*p) for p in cabin], fill=body, outline=outline, width=SCALE * 3)
    # windows: inset copy of the cabin, split by a pillar
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = cabin
    inset = [(x0 + 18, y0 - 4), (x1 + 8, y1 + 10), (x2 - 8, y2 + 10), (x3 - 20, y3 - 4)]
    d.polygon([P(*p) for p in inset], fill=glass)
    mid = (inset[1][0] + inset[2][0]) / 2 + (8 if kind != "pickup" else 0)
    if kind != "pickup":
        d.rectangle(box(mid - 6, y1 + 6, mid + 6, y0), fill=body)
    d.line(
        [P(inset[1][0] + 20, inset[1][1] + 8), P(inset[1][0] + 6, inset[0][1] - 10)],
        fill=(236, 246, 252),
        width=SCALE * 5,
    )

    # lower body
    d.rounded_rectangle(
        box(60, body_top, 540, base_y),
        radius=SCALE * 26,
        fill=body,
        outline=outline,
        width=SCALE * 3,
    )
    if kind == "pickup":
        d.rectangle(
            box(80, body_top - 16, 296, body_top + 4), fill=body, outline=outline, width=SCALE * 3
        )
    d.rectangle(box(64, base_y - 30, 536, base_y - 6), fill=dark)
    # doors and handles
    door_x = mid if kind != "pickup" else 310
    d.line([P(door_x, body_top + 4), P(door_x, base_y - 32)], fill=outline, width=SCALE * 2)
    d.line([P(x0 + 12, body_top + 4), P(x0 + 12, base_y - 32)], fill=outline, width=SCALE * 2)
    for hx in (door_x + 24,) if kind == "pickup" else (door_x - 44, door_x + 24):
        d.rounded_rectangle(
            box(hx, body_top + 18, hx + 22, body_top + 26), radius=SCALE * 3, fill=dark
        )
    # lights
    d.rounded_rectangle(
        box(520, body_top + 12, 542, body_top + 32), radius=SCALE * 5, fill=(255, 236, 150)
    )
    d.rounded_rectangle(
        box(58, body_top + 12, 74, body_top + 34), radius=SCALE * 4, fill=(220, 50, 50)
    )
    # wheels
    for wx in (160, 440):
        d.chord(box(wx - 58, base_y - 62, wx + 58, base_y + 54), 180, 360, fill=(60, 62, 66))
        d.ellipse(box(wx - 44, base_y - 44, wx + 44, base_y + 44), fill=(34, 34, 38))
        d.ellipse(box(wx - 22, base_y - 22, wx + 22, base_y + 22), fill=(190, 194, 200))
        d.ellipse(box(wx - 6, base_y - 6, wx + 6, base_y + 6), fill=(120, 124, 130))

    out = img.resize((W, H), Image.Resampling.LANCZOS)
    _ribbon(out, "FICTIONAL — demo")
    return _to_png(out)


# --------------------------------------------------------------------------- logo


def logo_png(text: str, primary: str, accent: str) -> bytes:
    """A 400×120 badge: rounded ``primary`` plate, ``accent`` house emblem and the text.

    ``text`` may contain one newline for two lines. Pillow's default font is
    used; text with glyphs it lacks (Cyrillic, Arabic) falls back to DejaVu Sans
    when installed.
    """
    W, H = 400, 120
    prim = _colour(primary, COLOUR_NAMES, random.Random(0))
    acc = _colour(accent, COLOUR_NAMES, random.Random(0))
    img = Image.new("RGB", (W * SCALE, H * SCALE), (255, 255, 255))
    d = ImageDraw.Draw(img)

    def box(x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        return (x0 * SCALE, y0 * SCALE, x1 * SCALE, y1 * SCALE)

    d.rounded_rectangle(box(2, 2, W - 2, H - 2), radius=SCALE * 24, fill=prim)
    d.rounded_rectangle(box(2, 2, W - 2, H - 2), radius=SCALE * 24, outline=acc, width=SCALE * 4)
    # emblem: accent disc with a white house and a heart
    d.ellipse(box(18, 16, 106, 104), fill=acc)
    white = (255, 255, 255)
    d.polygon(
        [(62 * SCALE, 32 * SCALE), (90 * SCALE, 58 * SCALE), (34 * SCALE, 58 * SCALE)], fill=white
    )
    d.rectangle(box(40, 56, 84, 86), fill=white)
    heart = prim
    d.ellipse(box(50, 60, 63, 72), fill=heart)
    d.ellipse(box(61, 60, 74, 72), fill=heart)
    d.polygon(
        [(51 * SCALE, 68 * SCALE), (73 * SCALE, 68 * SCALE), (62 * SCALE, 81 * SCALE)], fill=heart
    )

    lines = [ln for ln in text.split("\n")[:2] if ln.strip()] or ["Homeward"]
    avail_w = (W - 126) * SCALE
    avail_h = (H - 28) * SCALE
    fg = white if _luminance(prim) < 150 else (20, 24, 30)
    size = 40 * SCALE if len(lines) == 1 else 30 * SCALE
    while True:
        font, _ = _font(size, "".join(lines))  # one font for every line
        fonts = [(font, ln) for ln in lines]
        widths = [d.textlength(t, font=f) for f, t in fonts]
        total_h = size * 1.15 * len(lines)
        if (max(widths) <= avail_w and total_h <= avail_h) or size <= 10 * SCALE:
            break
        size -= SCALE
    x = 120 * SCALE
    y = (H * SCALE - size * 1.15 * len(lines)) / 2 + size * 1.15 / 2
    for font, line in fonts:
        d.text((x, y), line, font=font, fill=fg, anchor="lm")
        y += size * 1.15
    out = img.resize((W, H), Image.Resampling.LANCZOS)
    return _to_png(out, colours=64)
