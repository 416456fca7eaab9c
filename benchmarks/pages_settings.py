"""The settings of the page benchmark's server (bench_pages.py): the product's own, with the
bare views of pages_urls.py added to its addresses. Never used outside the benchmark."""

from kokemustori.settings import *  # noqa: F403

ROOT_URLCONF = "pages_urls"
