package io.maasops.security.testing.maas;

/** An error answer of the double: status plus MAAS's body (text or a JSON validation dict). */
final class MaasDoubleError extends RuntimeException {
    final int status;
    final String body;
    final boolean json;

    private MaasDoubleError(int status, String body, boolean json) {
        super(status + " " + body, null, false, false);
        this.status = status;
        this.body = body;
        this.json = json;
    }

    static MaasDoubleError text(int status, String body) {
        return new MaasDoubleError(status, body, false);
    }

    /** Django form errors: {@code {"field": ["message"]}}. */
    static MaasDoubleError field(String field, String message) {
        String escaped = message.replace("\\", "\\\\").replace("\"", "\\\"");
        return new MaasDoubleError(400, "{\"" + field + "\": [\"" + escaped + "\"]}", true);
    }
}
