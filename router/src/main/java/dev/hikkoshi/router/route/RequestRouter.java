package dev.hikkoshi.router.route;

import io.netty.handler.codec.http.HttpRequest;
import java.net.InetSocketAddress;

/**
 * Decides where a request goes from its validated head and the TCP peer's address. Called on the event loop
 * for every request: it reads only immutable snapshots and never blocks.
 */
public interface RequestRouter {
    RouteDecision route(HttpRequest head, InetSocketAddress peer);
}
