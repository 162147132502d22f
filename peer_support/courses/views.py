"""Thin views behind the course page's routes."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peer_support.ical import CalendarEvent, calendar_response
from peer_support.spaces.permissions import (
    VIEW_PRIVATE_DETAILS,
    is_facilitator,
    user_may,
)

from .models import CoursePage
from .selectors import certificate_eligibility, session_attendance_sheet
from .services import attendance_record


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


def live_session_join(request, course: CoursePage, session_id: int):
    """ "I'm here": record attendance, then go to the webcast."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(course.url)
    session = course.live_sessions.filter(pk=session_id).first()
    if session is None:
        raise Http404
    try:
        attendance_record(session=session, member=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(course.url)
    if not session.webcast_url:
        messages.success(
            request,
            _("Thanks, you're marked as here. The webcast link isn't ready yet."),
        )
        return redirect(course.url)
    return redirect(session.webcast_url)


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
            "participant_name": member.get_full_name() or member.pseudonym,
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
    if not is_facilitator(request.user, course):
        raise PermissionDenied
    session = course.live_sessions.filter(pk=session_id).first()
    if session is None:
        raise Http404
    if request.method == "POST":
        chosen = set(request.POST.getlist("member"))
        sheet = session_attendance_sheet(session=session)
        marked = 0
        for row in sheet:
            member = row["membership"].member
            if row["recorded"] or str(member.pk) not in chosen:
                continue
            try:
                attendance_record(
                    session=session, member=member, marked_by=request.user
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
                return redirect(request.get_full_path())
            marked += 1
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
    return TemplateResponse(
        request,
        "courses/session_attendance.html",
        {
            "page": course,
            "session": session,
            "sheet": session_attendance_sheet(session=session),
        },
    )
