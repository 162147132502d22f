"""The comments-xtd moderator for discussion threads, and watched-word matching.

`post_submit` decides; the moderator carries the decision into comments-xtd's own
pipeline: `allow()` refuses any post that did not come through `post_submit` (so
comments-xtd's own posting URL, or anything else, cannot write around it), and
`moderate()` holds what `post_submit` decided to hold.
"""

import re
from dataclasses import dataclass

from django_comments_xtd.moderation import XtdCommentModerator, moderator

from .models import Thread, WatchedWord
from .text import mentions_masked

SUBMISSION_ATTR = "_submission"


@dataclass(frozen=True)
class Submission:
    """What `post_submit` decided, handed to the moderator on the comment."""

    hold: bool


class DiscussionModerator(XtdCommentModerator):
    email_notification = False
    enable_field = None

    def allow(self, comment, content_object, request):
        return isinstance(getattr(comment, SUBMISSION_ATTR, None), Submission)

    def moderate(self, comment, content_object, request):
        return getattr(comment, SUBMISSION_ATTR).hold


def moderator_register() -> None:
    if Thread not in moderator._registry:
        moderator.register(Thread, DiscussionModerator)


moderator_register()


# --- watched words -----------------------------------------------------------------


@dataclass
class WatchResult:
    text: str
    blocked: WatchedWord | None = None
    held: WatchedWord | None = None
    replaced: list[WatchedWord] | None = None


def watched_words_apply(text: str, words=None, *, mentions=()) -> WatchResult:
    """Replace, then look for blocks and holds, in that order: a replaced word never
    holds a post. `mentions` (members' pseudonyms the text @-mentions) are not read
    as social-media handles."""
    words = list(WatchedWord.objects.all()) if words is None else list(words)
    result = WatchResult(text=text, replaced=[])
    for word in words:
        if word.action != WatchedWord.Action.REPLACE:
            continue
        pattern = word.pattern()
        new_text = pattern.sub(word.replacement, result.text)
        if new_text != result.text:
            result.replaced.append(word)
            result.text = new_text
    checked = mentions_masked(result.text, mentions)
    for action in (WatchedWord.Action.BLOCK, WatchedWord.Action.HOLD):
        for word in words:
            if word.action == action and word.pattern().search(checked):
                if action == WatchedWord.Action.BLOCK:
                    result.blocked = word
                    return result
                result.held = result.held or word
    return result


# --- hostile text ------------------------------------------------------------------

# Phrases that often read as hostile to someone in distress. A match never refuses a
# post: the member is asked whether they'd like to rephrase and may post it anyway.
HOSTILE = re.compile(
    r"(?<!\w)(shut up|idiot\w*|stupid|pathetic|moron\w*|loser\w*|get over it|"
    r"nobody cares|attention[- ]seek\w*|grow up|drama queen|snowflake\w*|"
    r"you'?re (?:weak|a joke|useless))(?!\w)",
    re.IGNORECASE,
)


def reads_as_hostile(text: str) -> bool:
    return bool(HOSTILE.search(text or ""))
