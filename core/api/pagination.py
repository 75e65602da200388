"""Page-number pagination with 400s for bad numbers and a 404 that says how many pages there are."""

from django.conf import settings
from django.core.paginator import InvalidPage
from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class ApiPagination(PageNumberPagination):
    """`count`, `next`, `previous`, `results`; `page` from 1, `page_size` up to a bound.

    A page that is not a whole number from 1 up, or a bad page size, is a 400; a page past the
    last one is a 404 that says how many there are.
    """

    page_size = settings.API_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = settings.API_MAX_PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw in (None, ""):
            return self.page_size
        # isascii: int() refuses digits such as "²" that isdigit() accepts, and very long ones.
        whole = raw.isascii() and raw.isdigit() and len(raw) <= 9
        if not whole or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("The page size must be a whole number from 1 to %(max)s.")
                        % {"max": self.max_page_size}
                    ]
                }
            )
        return int(raw)

    def page_number_of(self, request) -> int:
        raw = request.query_params.get(self.page_query_param) or "1"
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 9 or int(raw) < 1:
            raise ValidationError(
                {self.page_query_param: [_("The page number must be a whole number from 1 up.")]}
            )
        return int(raw)

    def paginate_queryset(self, queryset, request, view=None):
        page_size = self.get_page_size(request)
        number = self.page_number_of(request)
        paginator = Paginator(queryset, page_size)
        try:
            self.page = paginator.page(number)
        except InvalidPage:
            raise NotFound(
                _("There is no page %(page)s: these results have %(pages)s page(s).")
                % {"page": number, "pages": paginator.num_pages}
            ) from None
        self.request = request
        return list(self.page)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": 999_999_999}
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                    "default": self.page_size,
                }
        return parameters
