"""OpenAPI details drf-spectacular cannot infer: the token scheme and the error responses."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

ERROR_SCHEMA = {
    "type": "object",
    "description": "Every refusal has this shape; `message` follows Accept-Language (id, en).",
    "properties": {
        "code": {"type": "string", "description": "machine-readable, e.g. invalid, not_found, conflict"},
        "message": {"type": "string"},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "field -> messages; nested fields as items[0].name; non_field_errors",
        },
    },
    "required": ["code", "message", "errors"],
}
ERROR_DESCRIPTIONS = {
    "400": "Data tidak valid / invalid input",
    "401": "Belum masuk atau token tidak valid / not authenticated",
    "403": "Ditolak (mis. token CSRF sesi hilang) / forbidden",
    "404": "Tidak ada, atau di luar cakupan Anda / missing or out of scope",
    "405": "Metode tidak diizinkan / method not allowed",
    "406": "Accept tidak didukung / not acceptable",
    "409": "Bentrok: data berubah atau status tidak mengizinkan / conflict",
    "413": "Isi terlalu besar / payload too large",
    "415": "Jenis isi tidak didukung / unsupported media type",
    "429": "Terlalu banyak permintaan / throttled",
}
READ_ERRORS = ("400", "401", "404", "405", "406", "429")
WRITE_ERRORS = (*READ_ERRORS, "403", "409", "413", "415")


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "blkportal.api.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Token pribadi dari halaman Profil → Token API: `Authorization: Bearer blk_…`",
        }


def add_error_responses(result, generator, request, public):
    """Postprocessing hook: document the error shape for every operation, so clients (and schemathesis)
    know what a refusal looks like."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            codes = READ_ERRORS if method == "get" else WRITE_ERRORS
            for code in codes:
                responses.setdefault(
                    code, {"description": ERROR_DESCRIPTIONS[code], "content": {"application/json": {"schema": ref}}}
                )
            for code, response in responses.items():
                if str(code)[0] in "45" and "content" not in response:
                    response["content"] = {"application/json": {"schema": ref}}  # e.g. 410 of a download
    return result
