"""Hostile answers at the callback: whatever a browser (or an attacker) sends back as the
provider's answer, the callback never fails with a 5xx and signs no one in."""

from urllib.parse import parse_qs

import pytest
from django.contrib.auth import SESSION_KEY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kokemustori.accounts.models import User

from .conftest import start, through_issuer

pytestmark = pytest.mark.django_db

HOSTILE = st.one_of(
    st.text(max_size=80),
    st.sampled_from(("", "<script>x</script>", "' OR 1=1 --", "%00", "a" * 2000)),
)
ANSWERS = st.fixed_dictionaries(
    {},
    optional={
        "code": HOSTILE,
        "state": HOSTILE,
        "error": st.one_of(HOSTILE, st.just("access_denied")),
        "error_description": HOSTILE,
        "iss": HOSTILE,
    },
)


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answer=ANSWERS, started=st.booleans(), real_state=st.booleans())
def test_hostile_callbacks_sign_no_one_in(client, provider, issuer, answer, started, real_state):
    client.cookies.clear()
    if started:
        callback = through_issuer(start(client, "hospital"))
        state = parse_qs(callback.partition("?")[2])["state"][0]
        if real_state:
            answer = {**answer, "state": state}
    response = client.get("/en/accounts/oidc/hospital/login/callback/", answer)
    assert response.status_code < 500
    assert SESSION_KEY not in client.session
    assert not User.objects.exists()
    assert "<script>x</script>" not in response.content.decode()
