import re

import pytest

pytestmark = pytest.mark.django_db


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/fi/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "path",
    ["/fi/", "/sv/kinds-of-expert/", "/en/join/", "/fi/accounts/login/", "/fi/accounts/signup/"],
)
def test_public_pages_have_no_inline_script_or_style(client, path):
    html = client.get(path).content.decode()
    # <script> only with src= or as inert JSON data; no style= attributes or <style> blocks.
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert not re.search(r"\sstyle=\"", html)
    assert "<style" not in html
