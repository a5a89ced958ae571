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
from functools import cache

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
    identity = seed.split("/", 1)[0]
    idr = random.Random(f"portrait-identity:{identity}")  # stable face features
    var = random.Random(f"portrait-variant:{seed}")  # background, clothes, expression

    skin_c = _colour(skin, SKIN_TONES, idr)
    hair_c = _colour(hair, HAIR_COLOURS, idr)
    eye_c = _colour(eyes, EYE_COLOURS, idr)
    if sum(abs(a - b) for a, b in zip(hair_c, skin_c, strict=True)) < 110:
        # keep hair readable against a similar skin tone
        hair_c = _shade(hair_c, 0.45) if _luminance(skin_c) < 170 else _shade(hair_c, -0.35)
    if hair_style is None:
        weights = _STYLE_WEIGHTS.get(sex, _STYLE_WEIGHTS[None])
        names = sorted(weights)
        style = idr.choices(names, weights=[weights[n] for n in names])[0]
    elif hair_style in HAIR_STYLES:
        style = hair_style
    else:
        raise ValueError(f"Unknown hair style {hair_style!r}; choose from {HAIR_STYLES}")
    has_glasses = idr.random() < 0.2 if glasses is None else glasses
    has_freckles = idr.random() < 0.25 if freckles is None else freckles
    face_w_jit = idr.uniform(-8, 8)
    face_h_jit = idr.uniform(-8, 8)
    eye_gap_jit = idr.uniform(-5, 5)
    brow_tilt = idr.uniform(-4, 6)
    nose_style = idr.choice(("button", "curve", "line"))
    part_left = idr.random() < 0.5
    ear_size = idr.uniform(0.9, 1.1)

    bg = var.choice(_BACKGROUNDS)
    shirt = var.choice(_SHIRTS)
    neckline = var.choice(("round", "vee", "collar", "hoodie"))
    smile = var.choice(("closed", "closed", "open", "grin"))
    stripes = var.random() < 0.3

    # Age shapes the proportions: t=0 toddler, t=1 adult.
    t = 0.45 if age is None else _clamp((age - 2) / 16, 0.0, 1.0)

    W, H = 600, 750  # design grid; everything is scaled to the requested size
    sx = size[0] / W * SCALE
    sy = size[1] / H * SCALE
    img = Image.new("RGB", (round(size[0] * SCALE), round(size[1] * SCALE)), bg)
    d = ImageDraw.Draw(img)

    def P(x: float, y: float) -> tuple[float, float]:
        return (x * sx, y * sy)

    def box(x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        return (x0 * sx, y0 * sy, x1 * sx, y1 * sy)

    def lw(v: float) -> int:
        return max(1, round(v * (sx + sy) / 2))

    # Soft halo behind the head.
    d.ellipse(box(60, 90, 540, 570), fill=_shade(bg, -0.35))

    cx = 300.0
    cy = 330.0 - 10 * t
    hw = 122 - 10 * t + face_w_jit  # half width of the face
    hh = 140 + 22 * t + face_h_jit  # half height of the face
    top = cy - hh
    chin = cy + hh
    hair_dark = _shade(hair_c, 0.25)
    skin_dark = _shade(skin_c, 0.12)
    skin_line = _shade(skin_c, 0.35)

    # --- hair behind the head (long styles) -----------------------------------
    if style in ("long",):
        d.rounded_rectangle(
            box(cx - hw - 26, cy - 40, cx + hw + 26, chin + 120), radius=lw(60), fill=hair_c
        )
    if style == "bob":
        d.rounded_rectangle(
            box(cx - hw - 24, cy - 60, cx + hw + 24, chin - 20), radius=lw(50), fill=hair_c
        )
    if style == "afro":
        for i in range(14):
            ang = i / 14
            rx = cx + math.cos(ang * 2 * math.pi) * (hw + 22)
            ry = cy - 30 + math.sin(ang * 2 * math.pi) * (hh + 10)
            d.ellipse(box(rx - 55, ry - 55, rx + 55, ry + 55), fill=hair_c)
        d.ellipse(box(cx - hw - 50, top - 50, cx + hw + 50, cy + 90), fill=hair_c)
    if style == "ponytail":
        side = 1 if part_left else -1
        px = cx + side * (hw + 30)
        d.ellipse(box(px - 40, cy - 60, px + 40, cy + 120), fill=hair_c)
        d.ellipse(box(px - 22, cy - 90, px + 22, cy - 50), fill=shirt)
    if style == "pigtails":
        for side in (-1, 1):
            px = cx + side * (hw + 34)
            d.ellipse(box(px - 34, cy + 10, px + 34, cy + 150), fill=hair_c)
            d.ellipse(box(px - 16, cy - 2, px + 16, cy + 26), fill=shirt)
    if style == "bun":
        d.ellipse(box(cx - 55, top - 75, cx + 55, top + 30), fill=hair_c)
        d.arc(box(cx - 40, top - 60, cx + 40, top + 10), 200, 320, fill=hair_dark, width=lw(5))

    # --- shoulders and shirt ----------------------------------------------------
    sh_half = 205 + 45 * t
    sh_top = chin + 55 - 10 * t
    shirt_box = box(cx - sh_half, sh_top, cx + sh_half, sh_top + 420)
    d.ellipse(shirt_box, fill=shirt)
    if stripes:
        stripe_mask = Image.new("L", img.size, 0)
        sd = ImageDraw.Draw(stripe_mask)
        y = sh_top + 60
        while y < H:
            sd.rectangle(box(0, y, W, y + 16), fill=255)
            y += 46
        shirt_mask = Image.new("L", img.size, 0)
        ImageDraw.Draw(shirt_mask).ellipse(shirt_box, fill=255)
        img.paste(_shade(shirt, -0.3), mask=ImageChops.multiply(stripe_mask, shirt_mask))

    # --- neck ---------------------------------------------------------------------
    neck_half = 44 + 8 * t
    d.rectangle(box(cx - neck_half, chin - 40, cx + neck_half, sh_top + 40), fill=skin_dark)
    if neckline == "round":
        d.chord(box(cx - 70, sh_top - 30, cx + 70, sh_top + 60), 0, 180, fill=skin_dark)
        d.arc(
            box(cx - 74, sh_top - 34, cx + 74, sh_top + 64),
            0,
            180,
            fill=_shade(shirt, 0.2),
            width=lw(8),
        )
    elif neckline == "vee":
        d.polygon(
            [P(cx - 62, sh_top + 6), P(cx + 62, sh_top + 6), P(cx, sh_top + 90)], fill=skin_dark
        )
        d.line(
            [P(cx - 64, sh_top + 4), P(cx, sh_top + 92), P(cx + 64, sh_top + 4)],
            fill=_shade(shirt, 0.2),
            width=lw(8),
            joint="curve",
        )
    elif neckline == "collar":
        d.chord(box(cx - 60, sh_top - 20, cx + 60, sh_top + 50), 0, 180, fill=skin_dark)
        collar = _shade(shirt, -0.6)
        d.polygon(
            [
                P(cx - 66, sh_top + 2),
                P(cx - 4, sh_top + 40),
                P(cx - 30, sh_top + 70),
                P(cx - 80, sh_top + 24),
            ],
            fill=collar,
        )
        d.polygon(
            [
                P(cx + 66, sh_top + 2),
                P(cx + 4, sh_top + 40),
                P(cx + 30, sh_top + 70),
                P(cx + 80, sh_top + 24),
            ],
            fill=collar,
        )
    else:  # hoodie
        d.chord(box(cx - 64, sh_top - 24, cx + 64, sh_top + 52), 0, 180, fill=skin_dark)
        d.arc(
            box(cx - 120, sh_top - 40, cx + 120, sh_top + 70),
            10,
            170,
            fill=_shade(shirt, 0.25),
            width=lw(16),
        )
        for side in (-1, 1):
            x = cx + side * 34
            d.line(
                [P(x, sh_top + 50), P(x + side * 4, sh_top + 130)],
                fill=(245, 245, 245),
                width=lw(6),
            )
            d.ellipse(
                box(x + side * 4 - 6, sh_top + 126, x + side * 4 + 6, sh_top + 138),
                fill=(245, 245, 245),
            )

    # --- ears -----------------------------------------------------------------------
    ey = cy + 10
    for side in (-1, 1) if style not in ("bob", "long") else ():
        ex = cx + side * (hw - 4)
        er = 26 * ear_size
        d.ellipse(box(ex - er, ey - er * 1.3, ex + er, ey + er * 1.3), fill=skin_c)
        d.arc(
            box(ex - er * 0.55, ey - er * 0.8, ex + er * 0.55, ey + er * 0.8),
            90 - side * 80,
            270 - side * 80,
            fill=skin_dark,
            width=lw(4),
        )

    # --- face -----------------------------------------------------------------------
    d.ellipse(box(cx - hw, top, cx + hw, chin), fill=skin_c)

    # --- hair on top of the head ------------------------------------------------------
    _hair_front(img, style, hair_c, hair_dark, skin_c, cx, cy, hw, hh, part_left, box, P, lw, idr)

    # --- eyes -------------------------------------------------------------------------
    eye_y = cy + 8 + 8 * t
    eye_dx = hw * 0.42 + eye_gap_jit
    er_x = 24 - 6 * t
    er_y = 18 - 4 * t
    for side in (-1, 1):
        ex = cx + side * eye_dx
        d.ellipse(box(ex - er_x, eye_y - er_y, ex + er_x, eye_y + er_y), fill=(255, 255, 255))
        ir = er_y * 0.95
        d.ellipse(box(ex - ir, eye_y - ir, ex + ir, eye_y + ir), fill=eye_c)
        pr = ir * 0.5
        d.ellipse(box(ex - pr, eye_y - pr, ex + pr, eye_y + pr), fill=(25, 20, 20))
        hl = ir * 0.32
        d.ellipse(
            box(
                ex + ir * 0.25 - hl,
                eye_y - ir * 0.45 - hl,
                ex + ir * 0.25 + hl,
                eye_y - ir * 0.45 + hl,
            ),
            fill=(255, 255, 255),
        )
        d.arc(
            box(ex - er_x - 2, eye_y - er_y - 2, ex + er_x + 2, eye_y + er_y + 2),
            195,
            345,
            fill=(40, 30, 30),
            width=lw(4),
        )
        # eyebrow
        by = eye_y - er_y - 22
        brow = _shade(hair_c, 0.3) if _luminance(hair_c) > 90 else hair_c
        d.line(
            [P(ex - side * 26, by + brow_tilt), P(ex, by - 5), P(ex + side * 26, by + 3)],
            fill=brow,
            width=lw(8),
            joint="curve",
        )

    # --- cheeks and freckles ------------------------------------------------------------
    cheek = _mix(skin_c, (240, 120, 130), 0.28)
    cheek_y = eye_y + 52
    for side in (-1, 1):
        chx = cx + side * (eye_dx + 14)
        d.ellipse(box(chx - 26, cheek_y - 15, chx + 26, cheek_y + 15), fill=cheek)
    if has_freckles:
        fr = random.Random(f"freckles:{identity}")
        fc = _mix(skin_c, (120, 70, 40), 0.45)
        for side in (-1, 1):
            for _ in range(7):
                fx = cx + side * fr.uniform(22, eye_dx + 26)
                fy = eye_y + fr.uniform(26, 58)
                d.ellipse(box(fx - 3, fy - 3, fx + 3, fy + 3), fill=fc)

    # --- nose -----------------------------------------------------------------------------
    ny = eye_y + 48 + 6 * t
    if nose_style == "button":
        d.ellipse(box(cx - 12, ny - 8, cx + 12, ny + 10), fill=skin_dark)
    elif nose_style == "curve":
        d.arc(box(cx - 16, ny - 16, cx + 16, ny + 12), 20, 160, fill=skin_line, width=lw(5))
    else:
        d.line(
            [P(cx + 2, ny - 28), P(cx - 8, ny + 6), P(cx + 8, ny + 8)],
            fill=skin_line,
            width=lw(5),
            joint="curve",
        )

    # --- mouth ------------------------------------------------------------------------------
    my = ny + 40 + 6 * t
    lip = (150, 60, 60)
    if smile == "closed":
        d.arc(box(cx - 36, my - 30, cx + 36, my + 14), 25, 155, fill=lip, width=lw(6))
    else:
        mw = 40 if smile == "open" else 48
        d.chord(box(cx - mw, my - 26, cx + mw, my + 26), 0, 180, fill=(120, 40, 50))
        d.chord(box(cx - mw + 6, my - 20, cx + mw - 6, my + 8), 0, 180, fill=(255, 255, 255))
        d.rectangle(box(cx - mw, my - 30, cx + mw, my - 1), fill=skin_c)
        d.chord(box(cx - 18, my + 8, cx + 18, my + 26), 180, 360, fill=(232, 120, 130))
        d.chord(box(cx - mw, my - 26, cx + mw, my + 26), 0, 180, outline=lip, width=lw(4))

    # --- glasses ----------------------------------------------------------------------------
    if has_glasses:
        frame = idr.choice(((40, 40, 50), (130, 60, 40), (40, 80, 160), (170, 40, 80)))
        gr = er_x + 14
        for side in (-1, 1):
            ex = cx + side * eye_dx
            d.rounded_rectangle(
                box(ex - gr, eye_y - gr * 0.8, ex + gr, eye_y + gr * 0.8),
                radius=lw(16),
                outline=frame,
                width=lw(6),
            )
            d.line(
                [P(ex + side * gr, eye_y - 6), P(cx + side * (hw - 4), eye_y - 12)],
                fill=frame,
                width=lw(5),
            )
        d.arc(
            box(cx - eye_dx + gr - 2, eye_y - 18, cx + eye_dx - gr + 2, eye_y + 10),
            200,
            340,
            fill=frame,
            width=lw(6),
        )

    # --- ribbon and output --------------------------------------------------------------------
    out = img.resize(size, Image.Resampling.LANCZOS)
    _ribbon(out, f"{label or 'FICTIONAL'} — demo")
    return _to_png(out)


def _hair_front(img, style, hair_c, hair_dark, skin_c, cx, cy, hw, hh, part_left, box, P, lw, rng):
    """Paint the hair covering the top of the head and the fringe."""
    d = ImageDraw.Draw(img)
    top = cy - hh
    colour = _mix(hair_c, skin_c, 0.35) if style == "buzz" else hair_c

    # Region covered by hair: an ellipse slightly bigger than the head ...
    mask = Image.new("L", img.size, 0)
    md = ImageDraw.Draw(mask)
    grow = {"buzz": 4, "curly": 22, "afro": 30, "spiky": 10}.get(style, 14)
    md.ellipse(box(cx - hw - grow, top - grow, cx + hw + grow, cy + hh * 0.55), fill=255)

    # ... minus everything below the hairline.
    hair_line_y = top + hh * 0.5  # forehead line
    side_drop = {"long": hh * 0.95, "bob": hh * 0.85, "buzz": hh * 0.45}.get(style, hh * 0.65)
    pts: list[tuple[float, float]]
    if style in ("short", "buzz", "ponytail", "bun", "pigtails"):
        sweep = -1 if part_left else 1
        pts = [
            (cx - hw - 40, top + side_drop),
            (cx - hw + 8, top + side_drop),
            (cx - hw * 0.6, hair_line_y - 4 + 10 * sweep),
            (cx, hair_line_y - 14 - (14 if style == "buzz" else 0)),
            (cx + hw * 0.6, hair_line_y - 4 - 10 * sweep),
            (cx + hw - 8, top + side_drop),
            (cx + hw + 40, top + side_drop),
        ]
        if style in ("ponytail", "bun", "pigtails"):
            # pulled-back hair with a middle or side parting
            pts[3] = (cx + (-20 if part_left else 20), hair_line_y - 34)
    elif style == "side_part":
        pts = [
            (cx - hw - 40, top + side_drop),
            (cx - hw + 6, top + side_drop),
            (cx + hw * 0.5, hair_line_y - 40),
            (cx - hw * 0.1, hair_line_y + 4),
            (cx - hw * 0.7, hair_line_y + 8),
            (cx + hw - 6, top + side_drop),
            (cx + hw + 40, top + side_drop),
        ]
        if part_left:
            pts = [(2 * cx - x, y) for x, y in reversed(pts)]
    elif style == "spiky":
        pts = [(cx - hw - 40, top + side_drop), (cx - hw + 8, top + side_drop)]
        n = 7
        for i in range(n + 1):
            x = cx - hw * 0.85 + (hw * 1.7) * i / n
            y = hair_line_y + (6 if i % 2 == 0 else -22)
            pts.append((x, y))
        pts += [(cx + hw - 8, top + side_drop), (cx + hw + 40, top + side_drop)]
    else:  # bangs for bob/long/curly/afro
        pts = [(cx - hw - 40, top + side_drop), (cx - hw + 12, top + side_drop)]
        n = 6
        for i in range(n + 1):
            x = cx - hw * 0.8 + (hw * 1.6) * i / n
            y = hair_line_y + 10 + (8 if i % 2 else 0)
            pts.append((x, y))
        pts += [(cx + hw - 12, top + side_drop), (cx + hw + 40, top + side_drop)]
    below = [P(*p) for p in pts] + [P(cx + hw + 60, cy + hh + 200), P(cx - hw - 60, cy + hh + 200)]
    md.polygon(below, fill=0)
    img.paste(colour, mask=mask)

    if style == "curly":
        for i in range(11):
            x = cx - hw - 6 + (2 * hw + 12) * i / 10
            y = top + 18 + abs(i - 5) * 11
            r = 30
            d.ellipse(box(x - r, y - r, x + r, y + r), fill=hair_c)
        for i in range(5):
            x = cx - hw * 0.7 + hw * 1.4 * i / 4
            d.ellipse(box(x - 24, hair_line_y - 28, x + 24, hair_line_y + 16), fill=hair_c)
    if style in ("short", "side_part", "long", "bob"):
        # a couple of strands for texture
        for i in range(3):
            x = cx - hw * 0.4 + i * hw * 0.35
            d.arc(box(x - 40, top + 16, x + 40, top + 90), 200, 300, fill=hair_dark, width=lw(4))
    if style == "spiky":
        for i in range(5):
            x = cx - hw * 0.7 + hw * 1.4 * i / 4
            d.polygon([P(x - 22, top + 12), P(x + 4, top - 26), P(x + 22, top + 12)], fill=hair_c)
    if style == "pigtails":
        for side in (-1, 1):
            x = cx + side * (hw + 10)
            d.ellipse(
                box(x - 14, cy - 30, x + 14, cy),
                fill=rng.choice(((240, 90, 120), (80, 160, 220), (250, 200, 60))),
            )


# --------------------------------------------------------------------------- vehicle


def vehicle_png(seed: str, colour_name: str) -> bytes:
    """Draw a simple side view of a car in ``colour_name`` and return PNG bytes.

    ``colour_name`` may be an English key of COLOUR_NAMES (``"silver"``), one of
    the Spanish/Ukrainian/Arabic words listed there, or ``#rrggbb``; anything
    else gets a stable colour derived from the name.
    """
    rng = random.Random(f"vehicle:{seed}:{colour_name}")
    key = colour_name.strip().lower()
    if key in COLOUR_NAMES:
        body = COLOUR_NAMES[key]
    elif key.replace(" ", "_") in COLOUR_NAMES:
        body = COLOUR_NAMES[key.replace(" ", "_")]
    else:
        try:
            body = _hex(colour_name)
        except ValueError:
            h = hashlib.sha256(colour_name.encode()).digest()
            body = (h[0], h[1], h[2])

    W, H = 600, 360
    img = Image.new("RGB", (W * SCALE, H * SCALE), (206, 230, 246))
    d = ImageDraw.Draw(img)

    def box(x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        return (x0 * SCALE, y0 * SCALE, x1 * SCALE, y1 * SCALE)

    def P(x: float, y: float) -> tuple[float, float]:
        return (x * SCALE, y * SCALE)

    # scenery
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

    kind = rng.choice(("sedan", "hatchback", "suv", "pickup"))
    dark = _shade(body, 0.25)
    outline = _shade(body, 0.45)
    glass = (170, 210, 235)
    base_y = 270  # bottom of the body
    roof_h = {"sedan": 70, "hatchback": 72, "suv": 86, "pickup": 74}[kind]
    body_top = 190 if kind != "suv" else 176

    # cabin
    if kind == "sedan":
        cabin = [
            (170, body_top),
            (222, body_top - roof_h),
            (372, body_top - roof_h),
            (440, body_top),
        ]
    elif kind == "hatchback":
        cabin = [
            (140, body_top),
            (200, body_top - roof_h),
            (400, body_top - roof_h),
            (430, body_top),
        ]
    elif kind == "suv":
        cabin = [
            (110, body_top),
            (150, body_top - roof_h),
            (420, body_top - roof_h),
            (445, body_top),
        ]
    else:  # pickup: short cab, open bed behind
        cabin = [
            (300, body_top),
            (322, body_top - roof_h),
            (420, body_top - roof_h),
            (462, body_top),
        ]
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
