package dev.hikkoshi.data.config;

/** TLS to a database server; the names are MariaDB Connector/J's {@code sslMode} values. */
public enum TlsMode {
    /** No TLS. */
    DISABLE,
    /** TLS without checking the server's certificate (encryption only). */
    TRUST,
    /** TLS; the certificate must be signed by the configured CA (or the JVM's trust store). */
    VERIFY_CA,
    /** As verify-ca, and the certificate must name the host of the URL. */
    VERIFY_FULL
}
