"""Event descriptions: Markdown in, safe HTML (or plain text) out."""

import html
import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_markdown = MarkdownIt("commonmark", {"linkify": False, "html": False}).enable("table")
ALLOWED_TAGS = {
    *("p", "br", "hr", "h1", "h2", "h3", "h4", "blockquote", "pre", "code"),  # blocks
    *("strong", "em", "a", "ul", "ol", "li"),  # text and lists
    *("table", "thead", "tbody", "tr", "th", "td"),  # tables
}


def markdown_to_html(text: str) -> Markup:
    """Render Markdown, then keep only harmless tags: no scripts, styles or images."""
    clean = nh3.clean(
        _markdown.render(text or ""),
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    return Markup(clean)


def plain_text(text: str) -> str:
    """The Markdown as readable plain text, for emails and calendar descriptions."""
    return html.unescape(nh3.clean(_markdown.render(text or ""), tags=set())).strip()


# C0 and C1 control characters, save tab and line feed; a NUL is refused by PostgreSQL.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """What a person typed into a box of several lines: no control characters, \\n lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    return _CONTROL.sub("", text)


def one_line(text: str) -> str:
    """A title, a name, a subject: one line, single spaces, no control characters.

    (`str.split` splits on every Unicode line break and space, \\v and U+2028 included.)
    """
    return " ".join(_CONTROL.sub(" ", text or "").split())


def header_text(text: str, limit: int) -> str:
    """One line for a mail header, cut on a word with an ellipsis when longer than `limit`."""
    text = one_line(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
    return cut + "…"
