package io.maasops.security.util;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One HTTP exchange with a whole-request deadline and a response size cap. {@link HttpRequest#timeout}
 * covers the wait for the response headers only, and {@code BodyHandlers.ofByteArray()} keeps whatever
 * arrives: a server that trickles its body would hold the calling thread (a shared reconcile thread)
 * for ever, and an endless body would fill the heap. Here the body is collected by a subscriber that
 * refuses more than the cap, and at the deadline the exchange is cancelled (its connection closed),
 * so the caller always gets its thread back within the deadline.
 */
public final class BoundedHttp {

    private BoundedHttp() {}

    /** The deadline passed before the whole answer arrived. */
    public static final class DeadlineExceeded extends HttpTimeoutException {
        public DeadlineExceeded(Duration deadline) {
            super("no complete answer within " + deadline.toMillis() + " ms");
        }
    }

    /** The answer was longer than the cap; nothing beyond the cap was read. */
    public static final class TooLarge extends IOException {
        private final long limit;

        public TooLarge(long limit) {
            super("answer larger than " + limit + " bytes refused");
            this.limit = limit;
        }

        public long limit() {
            return limit;
        }
    }

    /**
     * Sends {@code request} and returns the status and the whole body, or throws within about
     * {@code deadline}: {@link DeadlineExceeded}, {@link TooLarge}, {@link InterruptedIOException} (the
     * interrupt flag cleared), or the client's own IOException (connection refused, TLS, ...).
     */
    public static HttpResponse<byte[]> send(HttpClient http, HttpRequest request, Duration deadline, int maxBytes)
            throws IOException {
        long end = System.nanoTime() + deadline.toNanos();
        AtomicReference<Body> body = new AtomicReference<>();
        CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(request, info -> {
            Body b = new Body(maxBytes);
            body.set(b);
            long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > maxBytes) {
                b.abort(new TooLarge(maxBytes)); // said so up front: not one byte of it is read
            }
            return b;
        });
        try {
            return exchange.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            DeadlineExceeded late = new DeadlineExceeded(deadline);
            abort(exchange, body.get(), late);
            throw late;
        } catch (InterruptedException e) {
            // The interrupt flag stays cleared, as after any caught InterruptedException: the caller decides. The Vault
            // gateway leaves it so: an operator being stopped interrupts its reconciles, and the interrupted one still
            // records the failed call in its status (what vault-java-driver did; RotationReliabilityTest relies on it).
            InterruptedIOException stop = new InterruptedIOException("interrupted");
            abort(exchange, body.get(), stop);
            throw stop;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(
                    cause == null ? "exchange failed" : cause.getClass().getSimpleName(), cause);
        }
    }

    /** Both halves: the subscription (closes the connection mid-body) and the future (before the headers). */
    private static void abort(CompletableFuture<?> exchange, Body body, IOException why) {
        if (body != null) {
            body.abort(why);
        }
        exchange.cancel(true);
    }

    /** Collects at most {@code cap} bytes; more cancels the subscription, which makes the client drop the connection. */
    private static final class Body implements HttpResponse.BodySubscriber<byte[]> {
        private final int cap;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();

        Body(int cap) {
            this.cap = cap;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            if (!subscription.compareAndSet(null, s) || result.isDone()) {
                s.cancel();
                return;
            }
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer b : items) {
                if ((long) buffer.size() + b.remaining() > cap) {
                    abort(new TooLarge(cap));
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                buffer.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(buffer.toByteArray());
        }

        @Override
        public CompletableFuture<byte[]> getBody() {
            return result;
        }

        void abort(IOException why) {
            result.completeExceptionally(why);
            Flow.Subscription s = subscription.get();
            if (s != null) {
                s.cancel();
            }
        }
    }
}
