from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import views
from .sitemaps import SITEMAPS

app_name = "communication"
urlpatterns = [
    path("pengumuman/", views.announcement_list, name="announcement_list"),
    path("pengumuman/baru/", views.announcement_create, name="announcement_create"),
    path("pengumuman/<int:pk>/", views.announcement_detail, name="announcement_detail"),
    path("pengumuman/<int:pk>/dibaca/", views.announcement_read, name="announcement_read"),
    path("pengumuman/lampiran/<int:pk>/", views.announcement_attachment, name="announcement_attachment"),
    path("pesan/", views.conversation_list, name="conversation_list"),
    path("pesan/baru/", views.conversation_create, name="conversation_create"),
    path("pesan/<int:pk>/", views.conversation_detail, name="conversation_detail"),
    path("produk/", views.product_list, name="product_list"),
    path("produk/blk/<int:centre_id>/baru/", views.product_create, name="product_create"),
    path("produk/<int:pk>/", views.product_detail, name="product_detail"),
    path("produk/<int:pk>/ubah/", views.product_edit, name="product_edit"),
    path("produk/<int:pk>/foto/", views.product_photo_add, name="product_photo_add"),
    path("produk/<int:pk>/tinjau/", views.product_review, name="product_review"),
    path("produk/foto/<int:pk>/", views.product_photo, name="product_photo"),
    path("produk/foto/<int:pk>/hapus/", views.product_photo_remove, name="product_photo_remove"),
    path("katalog/", views.catalogue, name="catalogue"),
    path("katalog/<int:pk>/", views.public_product, name="public_product"),
    path("katalog/<int:pk>/<slug:slug>/", views.public_product, name="public_product_slug"),
    path("katalog/foto/<int:pk>.jpg", views.public_photo, name="public_photo"),
    path("katalog/sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
