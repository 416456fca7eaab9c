from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter


class SignatureCheckingAdapter(OpenIDConnectOAuth2Adapter):
    def _decode_id_token(self, app, id_token):
        return jwtkit.verify_and_decode(
            credential=id_token,
            keys_url=self.openid_config["jwks_uri"],
            issuer=self.openid_config["issuer"],
            audience=app.client_id,
            lookup_kid=jwtkit.lookup_kid_jwk,
            verify_signature=True,
        )


class Provider(OpenIDConnectProvider):
    """Registered in place of allauth's (SOCIALACCOUNT_PROVIDERS["openid_connect"]
    ["provider_class"]); its URLs come from this package (urls.py)."""

    package = "kokemustori.identity.oidc"
    oauth2_adapter_class = SignatureCheckingAdapter


provider_classes = [Provider]
