"""API views that belong to no app (who am I, JSON 404) and the token pages of the profile."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.decorators import api_view, permission_classes, schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from blkportal.core.errors import DomainError
from blkportal.registry import access
from blkportal.registry.models import RoleAssignment

from . import services
from .forms import TokenCreateForm
from .models import ApiToken


class RoleSerializer(serializers.Serializer):
    role = serializers.CharField()
    role_label = serializers.CharField()
    centre = serializers.IntegerField(allow_null=True)
    province = serializers.CharField(allow_null=True)


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    email = serializers.CharField()
    roles = RoleSerializer(many=True)
    permissions = serializers.ListField(child=serializers.CharField())
    token = serializers.CharField(allow_null=True, help_text="the token used for this request (prefix only)")


class MeView(APIView):
    """Who the API sees: account, roles with their scope, and the permissions they grant."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        user = request.user
        roles = [
            {
                "role": a.role,
                "role_label": str(a.get_role_display()),
                "centre": a.centre_id,
                "province": a.province_id,
            }
            for a in RoleAssignment.objects.filter(user=user).order_by("role", "pk")
        ]
        perms = sorted(p for p in access.Perm.all() if access.has_perm(user, p))
        token = request.auth.display if isinstance(request.auth, ApiToken) else None
        data = {
            "username": user.username,
            "full_name": user.full_name,
            "email": user.email,
            "roles": roles,
            "permissions": perms,
            "token": token,
        }
        return Response(MeSerializer(data).data)


@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@permission_classes([AllowAny])
@schema(None)
def not_found(request, *args, **kwargs):
    raise exceptions.NotFound()


# Token pages (mounted under /profil/token-api/, see token_urls.py).


@never_cache
@login_required
def token_list(request):
    """The user's own tokens; creating one shows it once, on this response only."""
    form = TokenCreateForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = services.token_create(by=request.user, name=form.cleaned_data["name"])
        except DomainError as exc:
            form.add_error("name" if exc.field == "name" else None, exc.message)
        else:
            created = {"token": token, "raw": raw}
            form = TokenCreateForm()
    tokens = ApiToken.objects.filter(user=request.user).order_by("revoked_at", "-created_at", "-pk")
    # never_cache marks the response no-store: the new token must not linger in any cache.
    return render(request, "api/token_list.html", {"form": form, "tokens": tokens, "created": created})


@require_POST
@login_required
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken.objects.filter(user=request.user), pk=pk)
    services.token_revoke(token=token, by=request.user)
    messages.success(request, _("Token %(name)s dicabut.") % {"name": token.name})
    return redirect("api_tokens:token_list")
