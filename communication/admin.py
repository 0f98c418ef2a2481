from django.contrib import admin

from .models import Announcement, AnnouncementAttachment, Conversation, Message, Product, ProductPhoto


class AttachmentInline(admin.TabularInline):
    model = AnnouncementAttachment
    extra = 0
    readonly_fields = ["original_name", "content_type", "size"]
    exclude = ["file"]


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ["title", "author", "publish_at", "expires_at", "emailed_at"]
    list_filter = ["all_provinces", "incubators_only"]
    search_fields = ["title"]
    raw_id_fields = ["author"]
    inlines = [AttachmentInline]


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0
    raw_id_fields = ["author"]


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ["subject", "centre", "counterpart", "last_message_at"]
    list_filter = ["counterpart"]
    search_fields = ["subject", "centre__name"]
    raw_id_fields = ["centre", "report", "created_by"]
    inlines = [MessageInline]


class PhotoInline(admin.TabularInline):
    model = ProductPhoto
    extra = 0
    readonly_fields = ["width", "height"]
    exclude = ["file"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "centre", "category", "status", "consent_at"]
    list_filter = ["status", "category"]
    search_fields = ["name", "centre__name"]
    raw_id_fields = ["centre", "tenant", "created_by"]
    readonly_fields = ["consent_at", "consent_by", "reviewed_by", "reviewed_at"]
    inlines = [PhotoInline]
