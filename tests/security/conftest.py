from tests.api.conftest import _fresh_throttle, api_for, token_for  # noqa: F401
