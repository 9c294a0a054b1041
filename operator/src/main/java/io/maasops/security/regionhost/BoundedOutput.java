package io.maasops.security.regionhost;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Keeps the first {@code cap} bytes written to it and notes whether more arrived (which is discarded). */
final class BoundedOutput extends OutputStream {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final int cap;
    private volatile boolean truncated;

    BoundedOutput(int cap) {
        this.cap = cap;
    }

    @Override
    public synchronized void write(int b) {
        if (buffer.size() < cap) {
            buffer.write(b);
        } else {
            truncated = true;
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        int room = Math.max(0, cap - buffer.size());
        int n = Math.min(room, len);
        buffer.write(b, off, n);
        if (n < len) {
            truncated = true;
        }
    }

    boolean truncated() {
        return truncated;
    }

    synchronized String text() {
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
