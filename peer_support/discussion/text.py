"""Members write plain text: paragraphs, line breaks, links and quoted lines (`> `).

The HTML is built from escaped text and then passed through nh3 with a short allow-list,
so nothing a member types becomes markup; links get `rel="nofollow ugc noopener"`.
Rendered at display time, so a change here applies to every post at once.

`@pseudonym` is recognised when the post is saved (`mention_candidates`, resolved
against real pseudonyms by the notifications module) and the names found are stored on
the post; here they are only highlighted, never linked, so a mention shows nothing
about the member beyond the name already written in the text.
"""

import html
import re

import nh3

# Part of every cached post article's key: change it when the HTML made here changes.
TEXT_RENDER_VERSION = "2"
URL = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]", re.IGNORECASE)
ALLOWED_TAGS = {"p", "br", "a", "blockquote", "mark"}
LINK_REL = "nofollow ugc noopener"
MENTION_AT = re.compile(r"(?<![\w@])@(?=\w)")
MAX_MENTIONS = 10  # @-signs read per post, as Discourse caps mentions
MAX_NAME_LENGTH = 30  # accounts.validators.PSEUDONYM_MAX_LENGTH


def _wordy(char: str) -> bool:
    return char.isalnum() or char == "_"


def mention_candidates(text: str) -> list[list[str]]:
    """For each `@` (up to MAX_MENTIONS), the lower-case strings after it that could
    be a pseudonym: every prefix ending at a word boundary, longest first."""
    found = []
    for match in list(MENTION_AT.finditer(text))[:MAX_MENTIONS]:
        after = text[match.end() : match.end() + MAX_NAME_LENGTH + 1]
        prefixes = [
            after[:end].lower()
            for end in range(min(len(after), MAX_NAME_LENGTH), 0, -1)
            if _wordy(after[end - 1]) and (end == len(after) or not _wordy(after[end]))
        ]
        found.append(prefixes)
    return found


def _mentions_regex(names) -> re.Pattern | None:
    if not names:
        return None
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len)[::-1])
    return re.compile(rf"(?<![\w@])@(?:{alternatives})(?!\w)", re.IGNORECASE)


def mentions_masked(text: str, mentions) -> str:
    """The text with its recognised @mentions taken out (for the watched words)."""
    found = _mentions_regex(mentions)
    return found.sub(" ", text) if found else text


def _escaped(text: str, mentions: re.Pattern | None) -> str:
    if mentions is None:
        return html.escape(text)
    out, last = [], 0
    for match in mentions.finditer(text):
        out.append(html.escape(text[last : match.start()]))
        out.append(f'<mark class="mention">{html.escape(match.group(0))}</mark>')
        last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def _inline(text: str, mentions: re.Pattern | None) -> str:
    out, last = [], 0
    for match in URL.finditer(text):
        out.append(_escaped(text[last : match.start()], mentions))
        url = html.escape(match.group(0), quote=True)
        out.append(f'<a href="{url}">{url}</a>')
        last = match.end()
    out.append(_escaped(text[last:], mentions))
    return "".join(out)


def _paragraph(block: str, mentions: re.Pattern | None) -> str:
    lines = block.split("\n")
    if all(line.startswith(">") for line in lines):
        inner = "<br>".join(_inline(line[1:].lstrip(), mentions) for line in lines)
        return f"<blockquote><p>{inner}</p></blockquote>"
    return "<p>" + "<br>".join(_inline(line, mentions) for line in lines) + "</p>"


def text_clean(text: str) -> str:
    """Normalise what a member typed before it is stored."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def text_to_html(text: str, mentions=()) -> str:
    """`mentions`: the pseudonyms (as stored on the post) to highlight."""
    found = _mentions_regex(mentions)
    blocks = [block.strip("\n") for block in re.split(r"\n\s*\n", text_clean(text))]
    markup = "".join(_paragraph(block, found) for block in blocks if block.strip())
    return nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}, "mark": {"class"}},
        url_schemes={"http", "https"},
        link_rel=LINK_REL,
    )


def quote(text: str) -> str:
    """The text of a post as quoted lines, to start a reply with."""
    return "\n".join(
        f"> {line}" if line else ">" for line in text_clean(text).split("\n")
    )
