from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils.text import slugify

from . import selectors


class CatalogueSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return ["communication:catalogue"]

    def location(self, item):
        return reverse(item)


class ProductSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return selectors.public_products().order_by("pk")

    def location(self, product):
        return reverse("communication:public_product_slug", args=[product.pk, slugify(product.name) or "produk"])

    def lastmod(self, product):
        return product.updated_at


SITEMAPS = {"katalog": CatalogueSitemap, "produk": ProductSitemap}
