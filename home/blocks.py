from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"))
    level = blocks.ChoiceBlock(
        choices=[("h2", "H2"), ("h3", "H3")], default="h2", label=_("Level")
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(required=False)
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "ul"])

    class Meta:
        icon = "help"
        template = "blocks/callout_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"


class BodyBlock(blocks.StreamBlock):
    """The one body StreamBlock shared by every page type."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=["h3", "bold", "italic", "link", "ol", "ul"],
        icon="pilcrow",
        template="blocks/paragraph_block.html",
    )
    image = ImageBlock(template="blocks/image_block.html")
    callout = CalloutBlock()
    quote = QuoteBlock()


class CrisisLineBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Service"), help_text=_("e.g. Samaritans"))
    phone = blocks.CharBlock(required=False, label=_("Phone number"))
    text_number = blocks.CharBlock(required=False, label=_("Text number"))
    hours = blocks.CharBlock(required=False, label=_("When open"))
    description = blocks.CharBlock(required=False)

    class Meta:
        icon = "site"
        template = "blocks/crisis_line_block.html"


# --- Home page sections: editors arrange these in the home page's body. ---------------
