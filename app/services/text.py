"""Event descriptions: Markdown in, safe HTML (or plain text) out."""

import html

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_markdown = MarkdownIt("commonmark", {"linkify": False, "html": False}).enable("table")
ALLOWED_TAGS = {
    "h1", "p", "br", "strong", "em", "a", "ul", "ol", "li", "h2", "h3", "h4", "blockquote", "code",
    "pre", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


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
