"""Readable text on a colour someone chose (a sector's): WCAG 2.2 contrast, computed here."""

INK = "#1d2330"  # the site's text colour
WHITE = "#ffffff"
READABLE = 4.5  # WCAG AA for normal text


def _luminance(colour: str) -> float:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def contrast(first: str, second: str) -> float:
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _darker(colour: str, step: float = 0.9) -> str:
    return "#" + "".join(f"{int(int(colour[i : i + 2], 16) * step):02x}" for i in (1, 3, 5))


def readable_on(colour: str) -> tuple[str, str]:
    """(background, text): the colour itself with white or the site's ink, whichever reads
    better; a middle tone where neither reads well enough is darkened until white does."""
    background = colour
    while True:
        best = max((WHITE, INK), key=lambda ink: contrast(background, ink))
        if contrast(background, best) >= READABLE:
            return background, best
        background = _darker(background)
