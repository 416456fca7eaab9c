"""A small OpenID Connect issuer for the tests, on 127.0.0.1 only, with its own RSA signing key.

It serves discovery, the authorisation endpoint (it signs in whoever the test put in `person`
at once, with no page), the token endpoint (authorisation code with PKCE S256 and the client
secret checked), the keys (JWKS), userinfo and an end-session endpoint. `forge = True` makes
it sign the ID token with a key it never published, as a forger would.
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Issuer:
    def __init__(self, client_id="kokemustori", client_secret="test-secret"):  # noqa: S107
        self.client_id = client_id
        self.client_secret = client_secret
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.forger_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "test-key-1"
        self.person = {"sub": "subject-1", "email": "anna@hospital.example", "name": "Anna"}
        self.forge = False
        self.userinfo_sub = None  # a different subject in userinfo, as a confused provider would
        self.codes = {}
        self.access_tokens = {}
        self.seen = []  # (path, parameters) of every request, for the tests to look at
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    # --- what the endpoints answer -------------------------------------------------------

    def configuration(self):
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "userinfo_endpoint": f"{self.url}/userinfo",
            "jwks_uri": f"{self.url}/jwks",
            "end_session_endpoint": f"{self.url}/logout",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
        }

    def jwks(self):
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update({"kid": self.kid, "use": "sig", "alg": "RS256"})
        return {"keys": [jwk]}

    def authorize(self, query):
        if query.get("client_id") != self.client_id or query.get("response_type") != "code":
            return 400, {"error": "invalid_request"}, None
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            return 400, {"error": "invalid_request", "error_description": "PKCE required"}, None
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "challenge": query["code_challenge"],
            "redirect_uri": query["redirect_uri"],
            "person": dict(self.person),
            "nonce": query.get("nonce"),
        }
        target = query["redirect_uri"] + "?" + urlencode({"code": code, "state": query["state"]})
        return 302, None, target

    def token(self, form, headers):
        secret = form.get("client_secret")
        if headers.get("Authorization", "").startswith("Basic "):
            raw = base64.b64decode(headers["Authorization"][6:]).decode()
            _client, _, secret = raw.partition(":")
        if form.get("client_id", self.client_id) != self.client_id or secret != self.client_secret:
            return 401, {"error": "invalid_client"}
        grant = self.codes.pop(form.get("code", ""), None)  # a code is used once
        if grant is None or form.get("grant_type") != "authorization_code":
            return 400, {"error": "invalid_grant"}
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return 400, {"error": "invalid_grant", "error_description": "redirect_uri"}
        verifier = form.get("code_verifier", "")
        if _b64(hashlib.sha256(verifier.encode()).digest()) != grant["challenge"]:
            return 400, {"error": "invalid_grant", "error_description": "PKCE"}
        now = int(time.time())
        claims = {
            "iss": self.url,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            **grant["person"],
        }
        if grant["nonce"]:
            claims["nonce"] = grant["nonce"]
        key = self.forger_key if self.forge else self.key
        id_token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.kid})
        access_token = secrets.token_urlsafe(16)
        userinfo = {k: v for k, v in grant["person"].items() if k not in ("acr", "amr")}
        if self.userinfo_sub:
            userinfo["sub"] = self.userinfo_sub
        self.access_tokens[access_token] = userinfo
        return 200, {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": id_token,
        }

    def _handler(self):
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                issuer.seen.append((parts.path, query))
                if parts.path == "/.well-known/openid-configuration":
                    return self._json(200, issuer.configuration())
                if parts.path == "/jwks":
                    return self._json(200, issuer.jwks())
                if parts.path == "/authorize":
                    status, body, target = issuer.authorize(query)
                    if target is None:
                        return self._json(status, body)
                    self.send_response(302)
                    self.send_header("Location", target)
                    self.end_headers()
                    return None
                if parts.path == "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    info = issuer.access_tokens.get(token)
                    return self._json(200, info) if info else self._json(401, {})
                if parts.path == "/logout":
                    data = b"<!doctype html><title>Signed out</title><p>Signed out of the issuer"
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.end_headers()
                    self.wfile.write(data)
                    return None
                return self._json(404, {"error": "not_found"})

            def do_POST(self):
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                issuer.seen.append((parts.path, form))
                if parts.path == "/token":
                    status, body = issuer.token(form, self.headers)
                    return self._json(status, body)
                return self._json(404, {"error": "not_found"})

        return Handler
