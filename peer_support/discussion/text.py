"""Members write plain text: paragraphs, line breaks, links and quoted lines (`> `).

The HTML is built from escaped text and then passed through nh3 with a short allow-list,
so nothing a member types becomes markup; links get `rel="nofollow ugc noopener"`.
Rendered at display time, so a change here applies to every post at once.
"""

import html
import re

import nh3

URL = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]", re.IGNORECASE)
ALLOWED_TAGS = {"p", "br", "a", "blockquote"}
LINK_REL = "nofollow ugc noopener"


def _inline(text: str) -> str:
    out, last = [], 0
    for match in URL.finditer(text):
        out.append(html.escape(text[last : match.start()]))
        url = html.escape(match.group(0), quote=True)
        out.append(f'<a href="{url}">{url}</a>')
        last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def _paragraph(block: str) -> str:
    lines = block.split("\n")
    if all(line.startswith(">") for line in lines):
        inner = "<br>".join(_inline(line[1:].lstrip()) for line in lines)
        return f"<blockquote><p>{inner}</p></blockquote>"
    return "<p>" + "<br>".join(_inline(line) for line in lines) + "</p>"


def text_clean(text: str) -> str:
    """Normalise what a member typed before it is stored."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def text_to_html(text: str) -> str:
    blocks = [block.strip("\n") for block in re.split(r"\n\s*\n", text_clean(text))]
    markup = "".join(_paragraph(block) for block in blocks if block.strip())
    return nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https"},
        link_rel=LINK_REL,
    )


def quote(text: str) -> str:
    """The text of a post as quoted lines, to start a reply with."""
    return "\n".join(
        f"> {line}" if line else ">" for line in text_clean(text).split("\n")
    )
