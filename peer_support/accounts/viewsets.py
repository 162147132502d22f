from wagtail.users.views.users import UserViewSet

from .forms import StaffUserCreationForm, StaffUserEditForm


class StaffUserViewSet(UserViewSet):
    def get_form_class(self, for_update=False):
        return StaffUserEditForm if for_update else StaffUserCreationForm
