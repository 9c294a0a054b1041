package io.maasops.security.util;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import javax.net.ssl.SSLException;

/** The bounded outcome label of one HTTP call, from its status code or from what it threw. */
public final class CallOutcome {

    public static final String SUCCESS = "success";
    public static final String CLIENT_ERROR = "client_error";
    public static final String SERVER_ERROR = "server_error";
    public static final String REDIRECT = "redirect";
    public static final String TIMEOUT = "timeout";
    public static final String TLS_ERROR = "tls_error";
    public static final String CONNECTION_ERROR = "connection_error";
    public static final String TOO_LARGE = "too_large";
    public static final String INTERRUPTED = "interrupted";
    public static final String ERROR = "error";

    private CallOutcome() {}

    public static String ofStatus(int status) {
        if (status >= 200 && status < 300) {
            return SUCCESS;
        }
        if (status >= 300 && status < 400) {
            return REDIRECT;
        }
        return status >= 500 ? SERVER_ERROR : status >= 400 ? CLIENT_ERROR : ERROR;
    }

    public static String ofFailure(Throwable e) {
        if (e instanceof BoundedHttp.TooLarge) {
            return TOO_LARGE;
        }
        if (e instanceof HttpTimeoutException) {
            return TIMEOUT; // also BoundedHttp.DeadlineExceeded and HttpConnectTimeoutException
        }
        if (e instanceof InterruptedIOException) {
            return INTERRUPTED;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return TLS_ERROR;
            }
            if (t instanceof ConnectException) {
                return CONNECTION_ERROR;
            }
        }
        return e instanceof java.io.IOException ? CONNECTION_ERROR : ERROR;
    }
}
