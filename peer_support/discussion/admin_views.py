"""The review page a moderator opens from the queue: the post, the thread around it,
its flags (with who flagged, for moderators only), its revisions and history, and the
decision form. Decisions go through `services.post_moderate`."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from peer_support.errors import ServiceError
from safeguarding.selectors import concern_about_content

from . import selectors, services
from .forms import (
    EditOutForm,
    NoteForm,
    PostLabelForm,
    ReviewForm,
    WatchedImportForm,
    WatchedTestForm,
)
from .models import Post


class ReviewView(WagtailAdminTemplateMixin, FormView):
    template_name = "discussion/admin/review.html"
    form_class = ReviewForm
    header_icon = "warning"
    page_title = gettext_lazy("Review a post")

    def dispatch(self, request, *args, **kwargs):
        spaces = selectors.spaces_moderated_by(user=request.user).values("pk")
        self.post_obj = (
            Post.objects.select_related(
                "user", "thread_ref", "thread_ref__space", "claimed_by"
            )
            .filter(pk=kwargs["pk"], thread_ref__space__in=spaces)
            .first()
        )
        if self.post_obj is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.post_obj.thread_ref.title

    def get_context_data(self, **kwargs):
        post = self.post_obj
        context = super().get_context_data(**kwargs)
        around = (
            Post.objects.filter(
                thread_ref_id=post.thread_ref_id, thread_id=post.thread_id
            )
            .select_related("user")
            .order_by("order")
        )
        context.update(
            post=post,
            thread=post.thread_ref,
            around=around[:20],
            flags=post.post_flags.select_related("reporter").order_by("created_at"),
            revisions=post.revisions.all(),
            history=post.actions.select_related("actor"),
            note_form=NoteForm(),
            edit_out_form=kwargs.get("edit_out_form") or EditOutForm(),
            label_form=PostLabelForm(initial={"label": post.label}),
            concern=concern_about_content(
                user=self.request.user, content_ref=services.post_ref(post)
            ),
            claimed_by_other=bool(
                post.claimed_by_id and post.claimed_by_id != self.request.user.pk
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        # The edit-out form has a note too, so its button is looked at first.
        if "edit_out" in request.POST:
            return self._edit_out(request)
        if "set_label" in request.POST:
            return self._label(request)
        if "claim" in request.POST or "note" in request.POST:
            return self._side_action(request)
        return super().post(request, *args, **kwargs)

    def _edit_out(self, request):
        """Take a detail out of the post; on a refusal the form comes back with what
        the moderator typed and the message."""
        form = EditOutForm(request.POST)
        if form.is_valid():
            try:
                services.post_detail_edit_out(
                    post_id=self.post_obj.pk,
                    moderator=request.user,
                    detail=form.cleaned_data["detail"],
                    note=form.cleaned_data["note"],
                )
            except ServiceError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request, _("The detail is out. The author has been told.")
                )
                return redirect("discussion_review", self.post_obj.pk)
        context = self.get_context_data(
            form=self.get_form_class()(), edit_out_form=form
        )
        return self.render_to_response(context, status=400)

    def _label(self, request):
        form = PostLabelForm(request.POST)
        try:
            if not form.is_valid():
                raise ServiceError(_("Choose welcome, summary, resource or no label."))
            services.post_label_set(
                post_id=self.post_obj.pk,
                moderator=request.user,
                label=form.cleaned_data["label"],
            )
            messages.success(request, _("Label saved."))
        except ServiceError as error:
            messages.error(request, error.message)
        return redirect("discussion_review", self.post_obj.pk)

    def _side_action(self, request):
        try:
            if "claim" in request.POST:
                services.post_claim(post_id=self.post_obj.pk, moderator=request.user)
                messages.success(request, _("This post is yours for now."))
            else:
                form = NoteForm(request.POST)
                if not form.is_valid():
                    raise ServiceError(_("Write a note of up to 2000 characters."))
                services.post_note_add(
                    post_id=self.post_obj.pk,
                    moderator=request.user,
                    note=form.cleaned_data["note"],
                )
                messages.success(request, _("Note added."))
        except ServiceError as error:
            messages.error(request, error.message)
        return redirect("discussion_review", self.post_obj.pk)

    def form_valid(self, form):
        try:
            services.post_moderate(
                post_id=self.post_obj.pk,
                moderator=self.request.user,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except ServiceError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Done. The author has been told."))
        return redirect("discussion_queue:index")


class WatchedWordsToolsView(WagtailAdminTemplateMixin, FormView):
    """Try a text against the watched words, or import words from a CSV file."""

    template_name = "discussion/admin/watched_words_tools.html"
    form_class = WatchedTestForm
    header_icon = "search"
    page_title = gettext_lazy("Watched words: test and import")

    def dispatch(self, request, *args, **kwargs):
        from peer_support.accounts.roles import PEER_WORKER, has_role

        if not (request.user.is_superuser or has_role(request.user, PEER_WORKER)):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("import_form", WatchedImportForm())
        return context

    def post(self, request, *args, **kwargs):
        if "import" not in request.POST:
            return super().post(request, *args, **kwargs)
        import_form = WatchedImportForm(request.POST, request.FILES)
        if import_form.is_valid():
            try:
                saved = services.watched_words_import(
                    rows=import_form.rows(), actor=request.user
                )
            except ServiceError as error:
                import_form.add_error(None, error.message)
            else:
                messages.success(
                    request, _("%(n)d watched words saved.") % {"n": saved}
                )
                return redirect("discussion_words:index")
        return self.render_to_response(
            self.get_context_data(form=self.get_form(), import_form=import_form)
        )

    def form_valid(self, form):
        from .moderation import watched_words_apply

        result = watched_words_apply(form.cleaned_data["text"])
        return self.render_to_response(self.get_context_data(form=form, result=result))


class UnansweredView(WagtailAdminTemplateMixin, TemplateView):
    """Posts nobody has answered, in the spaces this peer worker looks after."""

    template_name = "discussion/admin/unanswered.html"
    header_icon = "help"
    page_title = gettext_lazy("Unanswered posts")

    def dispatch(self, request, *args, **kwargs):
        from peer_support.accounts.roles import PEER_WORKER, has_role

        if not (request.user.is_superuser or has_role(request.user, PEER_WORKER)):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        spaces = selectors.spaces_moderated_by(user=self.request.user).values("pk")
        context["posts"] = selectors.unanswered_posts(spaces=spaces)[:200]
        return context


class MemberRecordView(WagtailAdminTemplateMixin, FormView):
    """One member's record in one space, for its moderators, with the form for the
    next graduated step."""

    template_name = "discussion/admin/member_record.html"
    header_icon = "user"
    page_title = gettext_lazy("A member's record")

    def dispatch(self, request, *args, **kwargs):
        from peer_support.accounts.models import User
        from peer_support.spaces.models import SpacePage

        from .forms import SanctionForm

        self.form_class = SanctionForm
        spaces = selectors.spaces_moderated_by(user=request.user)
        self.space = spaces.filter(pk=kwargs["space_id"]).first()
        self.member = User.objects.filter(pk=kwargs["member_id"]).first()
        if self.space is None or self.member is None:
            raise Http404
        self.space = SpacePage.objects.get(pk=self.space.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return f"{self.member.pseudonym} · {self.space.title}"

    def get_context_data(self, **kwargs):
        from . import sanctions

        context = super().get_context_data(**kwargs)
        context.update(
            space=self.space,
            member=self.member,
            entries=sanctions.member_record(space=self.space, member=self.member),
        )
        return context

    def form_valid(self, form):
        from . import sanctions

        try:
            sanctions.sanction_give(
                space_id=self.space.pk,
                member_id=self.member.pk,
                actor=self.request.user,
                kind=form.cleaned_data["kind"],
                rule=form.cleaned_data["rule"],
                reason=form.cleaned_data["reason"],
                days=form.cleaned_data["days"],
            )
        except ServiceError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Recorded. The member has been told."))
        return redirect("discussion_record", self.space.pk, self.member.pk)


class AppealsView(WagtailAdminTemplateMixin, TemplateView):
    """Appeals waiting for a moderator other than the one who sanctioned."""

    template_name = "discussion/admin/appeals.html"
    header_icon = "help"
    page_title = gettext_lazy("Appeals")

    def get_context_data(self, **kwargs):
        from . import sanctions

        context = super().get_context_data(**kwargs)
        context["appeals"] = sanctions.appeals_waiting(user=self.request.user)[:200]
        return context


class AppealDecideView(WagtailAdminTemplateMixin, FormView):
    template_name = "discussion/admin/appeal_decide.html"
    header_icon = "help"
    page_title = gettext_lazy("Decide an appeal")

    def dispatch(self, request, *args, **kwargs):
        from .forms import AppealDecisionForm
        from .models import Appeal

        self.form_class = AppealDecisionForm
        spaces = selectors.spaces_moderated_by(user=request.user).values("pk")
        self.appeal = (
            Appeal.objects.select_related(
                "sanction", "sanction__space", "sanction__member", "sanction__actor"
            )
            .filter(pk=kwargs["pk"], sanction__space__in=spaces)
            .first()
        )
        if self.appeal is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            appeal=self.appeal,
            sanction=self.appeal.sanction,
            decision=getattr(self.appeal, "decision", None),
        )
        return context

    def form_valid(self, form):
        from . import sanctions

        try:
            sanctions.appeal_decide(
                appeal_id=self.appeal.pk,
                moderator=self.request.user,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
            )
        except ServiceError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Appeal decided. The member has been told."))
        return redirect("discussion_appeals")
