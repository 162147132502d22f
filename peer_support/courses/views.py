"""Thin views behind the course page's routes."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peer_support.errors import ServiceError
from peer_support.ical import CalendarEvent, calendar_response
from peer_support.spaces.permissions import (
    MARK_ATTENDANCE,
    VIEW_PRIVATE_DETAILS,
    user_may,
)

from .forms import AttendanceForm
from .models import CoursePage
from .selectors import certificate_eligibility, session_attendance_sheet
from .services import attendance_mark


def course_sessions_ics(request, course: CoursePage):
    show_link = user_may(request.user, VIEW_PRIVATE_DETAILS, course)
    page_url = course.get_full_url(request)
    events = [
        CalendarEvent(
            uid=f"course-{course.pk}-session-{session.pk}@{request.get_host()}",
            start=session.starts_at,
            end=session.ends_at,
            summary=f"{course.title}: {session.title}",
            location=session.webcast_url if show_link else _("Online"),
            description=page_url or "",
            url=(session.webcast_url if show_link else page_url) or "",
        )
        for session in course.live_sessions.order_by("starts_at")
    ]
    return calendar_response(
        name=course.title, filename=f"{course.slug}-live-sessions", events=events
    )


def course_certificate(request, course: CoursePage):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    eligibility = certificate_eligibility(course=course, member=request.user)
    if not eligibility.eligible:
        return TemplateResponse(
            request,
            "courses/certificate_unavailable.html",
            {"page": course, "eligibility": eligibility},
            status=403,
        )
    member = request.user
    response = TemplateResponse(
        request,
        "courses/certificate.html",
        {
            "page": course,
            "eligibility": eligibility,
            "participant_name": member.real_name() or member.pseudonym,
        },
    )
    # It carries the member's name: keep it out of shared caches.
    response["Cache-Control"] = "private, no-store"
    return response


def live_session_attendance(request, course: CoursePage, session_id: int):
    """The moderators' sheet: mark members who were at a session but did not say
    "I'm here" (e.g. their connection dropped)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not user_may(request.user, MARK_ATTENDANCE, course):
        raise PermissionDenied
    session = course.live_sessions.filter(pk=session_id).first()
    if session is None:
        raise Http404
    sheet = session_attendance_sheet(session=session)
    form = AttendanceForm(request.POST or None, sheet=sheet)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                marked = attendance_mark(
                    session=session,
                    member_ids=form.cleaned_data["member"],
                    marked_by=request.user,
                )
            except ServiceError as error:
                messages.error(request, error.message)
                return redirect(request.get_full_path())
            messages.success(
                request,
                ngettext(
                    "%(count)s member marked as attended.",
                    "%(count)s members marked as attended.",
                    marked,
                )
                % {"count": marked},
            )
            return redirect(request.get_full_path())
        status = 400
        messages.error(
            request,
            _(
                "Some of the people ticked are not on this sheet any more; nobody was "
                "marked. Please look at the sheet again."
            ),
        )
    return TemplateResponse(
        request,
        "courses/session_attendance.html",
        {"page": course, "session": session, "sheet": sheet, "form": form},
        status=status,
    )
