"""Moderators read a session's transcript in the admin and publish an edited summary
into the course discussion. Hand-built pages, like the discussion's appeals list: a
short list of sessions and one transcript with its form need no filters or export."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from peer_support.errors import ServiceError

from . import selectors, services
from .forms import SummaryForm


class TranscriptsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "chat/admin/transcripts.html"
    header_icon = "comment"
    page_title = gettext_lazy("Live session transcripts")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rooms"] = selectors.rooms_moderated_by(user=self.request.user)[:200]
        return context


class TranscriptView(WagtailAdminTemplateMixin, FormView):
    template_name = "chat/admin/transcript.html"
    form_class = SummaryForm
    header_icon = "comment"
    page_title = gettext_lazy("Live session transcript")

    def dispatch(self, request, *args, **kwargs):
        rooms = selectors.rooms_moderated_by(user=request.user)
        self.room = rooms.filter(pk=kwargs["pk"]).first()
        if self.room is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return f"{self.room.session.page.title}: {self.room.session.title}"

    def get_initial(self):
        session = self.room.session
        day = timezone.localtime(session.starts_at)
        return {
            "title": _("Session summary: %(title)s, %(day)s")
            % {"title": session.title, "day": f"{day:%d %B %Y}"},
            "text": selectors.transcript_text(room=self.room),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            room=self.room, transcript=selectors.chat_transcript(room=self.room)
        )
        return context

    def form_valid(self, form):
        try:
            thread = services.chat_summary_publish(
                room_id=self.room.pk,
                moderator=self.request.user,
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
            )
        except ServiceError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _('Published and pinned as "%(title)s" in the course discussion.')
            % {"title": thread.title},
        )
        return redirect("chat_transcript", self.room.pk)
