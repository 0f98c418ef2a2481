"""Serializers of the communication API (read-only shapes; marking read takes no body)."""

from django.urls import reverse
from django.utils.text import slugify
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import Announcement, AnnouncementAttachment, Product


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = AnnouncementAttachment
        fields = ["id", "original_name", "content_type", "size", "url"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_url(self, obj):
        return reverse("communication:announcement_attachment", args=[obj.pk])


class AnnouncementSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.display_name", read_only=True)
    is_read = serializers.BooleanField(read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Announcement
        fields = ["id", "title", "body", "author", "publish_at", "expires_at", "is_read", "attachments"]


class MarkReadSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    is_read = serializers.BooleanField()


class PublicProductSerializer(serializers.ModelSerializer):
    """Only what the owner agreed to publish; nothing about people other than the consented contact."""

    centre = serializers.CharField(source="centre.name")
    province = serializers.CharField(source="centre.province.name")
    province_code = serializers.CharField(source="centre.province_id")
    kejuruan = serializers.SlugRelatedField(slug_field="code", read_only=True)
    business = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    marketplace_links = serializers.ListField(source="links", child=serializers.URLField())

    class Meta:
        model = Product
        fields = [
            "id",
            "name",
            "description",
            "category",
            "kejuruan",
            "centre",
            "province",
            "province_code",
            "business",
            "price_min",
            "price_max",
            "marketplace_links",
            "shop_address",
            "contact",
            "photos",
            "url",
        ]

    @extend_schema_field(OpenApiTypes.STR)
    def get_business(self, obj):
        return obj.tenant.business_name if obj.tenant_id else ""

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_photos(self, obj):
        return [reverse("communication:public_photo", args=[p.pk]) for p in obj.photos.all()]

    @extend_schema_field(OpenApiTypes.STR)
    def get_url(self, obj):
        return reverse("communication:public_product_slug", args=[obj.pk, slugify(obj.name) or "produk"])
