package dev.hikkoshi.router.http;

/**
 * Size limits {@link StrictHttpDecoder} enforces on one side of the proxy.
 *
 * @param maxInitialLineBytes request or status line (414 for a request)
 * @param maxHeaderBytes      the whole head or trailer section (431)
 * @param maxHeaderCount      header or trailer fields (431)
 * @param maxBodyBytes        body bytes of one message, declared or streamed (413); Long.MAX_VALUE: none
 */
public record HttpLimits(int maxInitialLineBytes, int maxHeaderBytes, int maxHeaderCount, long maxBodyBytes) {
    public HttpLimits {
        if (maxInitialLineBytes < 16 || maxHeaderBytes < maxInitialLineBytes || maxHeaderCount < 1 || maxBodyBytes < 0) {
            throw new IllegalArgumentException("invalid HTTP limits: " + maxInitialLineBytes + ", " + maxHeaderBytes
                    + ", " + maxHeaderCount + ", " + maxBodyBytes);
        }
    }
}
