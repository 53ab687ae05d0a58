package io.basalt.node.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The bounds of a validator's HTTP gateway (docs/api.md, "Limits"): what one client, and all clients
 * together, may hold of it. The {@code "http"} object of a node config file; every field is optional
 * and a missing one takes its default from {@link #DEFAULT}.
 *
 * <p>The limits are chosen so that no single address can deny the API to others: one client holds at
 * most {@code maxConnectionsPerClient} of the {@code maxConnections}, a request whose body does not
 * arrive within {@code bodyReadTimeoutMs} is answered 408 and its connection closed, and a client
 * sending more than {@code requestsPerSecondPerClient} is answered 429.
 *
 * @param idleTimeoutMs              a connection with nothing to read or write for this long is closed
 * @param bodyReadTimeoutMs          a request's whole body must arrive within this long after its headers
 * @param maxConnections             open HTTP and WebSocket connections, all clients together; past it the
 *                                   gateway stops accepting until one closes
 * @param maxConnectionsPerClient    open connections from one IP address; more are closed at accept
 * @param requestsPerSecondPerClient requests from one IP address per second (Jetty's DoSHandler, a
 *                                   leaking bucket); more are answered 429 RATE_LIMITED
 * @param maxStreams                 open WebSocket finality streams; more upgrades are answered 503
 * @param faucetEnabled              serve {@code POST /v1/faucet} when the node has a faucet key
 * @param faucetRequestsPerMinutePerClient faucet requests from one IP address per minute (a token bucket
 *                                   that holds one minute's worth); more are answered 429 RATE_LIMITED
 * @param livenessPort               a second port, on the gateway's host, that serves only {@code /health} and
 *                                   {@code /ready} from threads of its own, so that probes are answered even
 *                                   when bulk traffic keeps every worker of the main port busy; -1 (default)
 *                                   for none, 0 for any free port
 */
public record HttpLimits(
    long idleTimeoutMs,
    long bodyReadTimeoutMs,
    int maxConnections,
    int maxConnectionsPerClient,
    int requestsPerSecondPerClient,
    int maxStreams,
    boolean faucetEnabled,
    int faucetRequestsPerMinutePerClient,
    int livenessPort) {

    /** No liveness port. */
    public static final int NO_LIVENESS_PORT = -1;

    /** Serves a validator: generous for honest clients, small next to what one address could take. */
    public static final HttpLimits DEFAULT = new HttpLimits(30_000, 3_000, 1_024, 32, 1_000, 128, true, 60,
        NO_LIVENESS_PORT);

    public HttpLimits {
        if (idleTimeoutMs < 1 || bodyReadTimeoutMs < 1 || maxConnections < 1 || maxConnectionsPerClient < 1
            || requestsPerSecondPerClient < 1 || maxStreams < 1 || faucetRequestsPerMinutePerClient < 1) {
            throw new IllegalArgumentException("http limits must be positive: " + this);
        }
        if (livenessPort < NO_LIVENESS_PORT || livenessPort > 65_535) {
            throw new IllegalArgumentException("http limits: livenessPort must be -1 (none), 0 (any) or a port, was " + livenessPort);
        }
        if (maxConnectionsPerClient >= maxConnections) {
            // Otherwise one address could take every connection and lock out everyone else.
            throw new IllegalArgumentException("http limits: maxConnectionsPerClient (" + maxConnectionsPerClient
                + ") must be below maxConnections (" + maxConnections + ")");
        }
        if (maxStreams >= maxConnections) {
            throw new IllegalArgumentException("http limits: maxStreams (" + maxStreams
                + ") must be below maxConnections (" + maxConnections + "), so streams leave room for REST");
        }
    }

    /** A config file's {@code "http"} object: absent fields take the default. */
    @JsonCreator
    static HttpLimits fromJson(
        @JsonProperty("idleTimeoutMs") final Long idleTimeoutMs,
        @JsonProperty("bodyReadTimeoutMs") final Long bodyReadTimeoutMs,
        @JsonProperty("maxConnections") final Integer maxConnections,
        @JsonProperty("maxConnectionsPerClient") final Integer maxConnectionsPerClient,
        @JsonProperty("requestsPerSecondPerClient") final Integer requestsPerSecondPerClient,
        @JsonProperty("maxStreams") final Integer maxStreams,
        @JsonProperty("faucetEnabled") final Boolean faucetEnabled,
        @JsonProperty("faucetRequestsPerMinutePerClient") final Integer faucetRequestsPerMinutePerClient,
        @JsonProperty("livenessPort") final Integer livenessPort) {
        final HttpLimits d = DEFAULT;
        return new HttpLimits(
            idleTimeoutMs == null ? d.idleTimeoutMs : idleTimeoutMs,
            bodyReadTimeoutMs == null ? d.bodyReadTimeoutMs : bodyReadTimeoutMs,
            maxConnections == null ? d.maxConnections : maxConnections,
            maxConnectionsPerClient == null ? d.maxConnectionsPerClient : maxConnectionsPerClient,
            requestsPerSecondPerClient == null ? d.requestsPerSecondPerClient : requestsPerSecondPerClient,
            maxStreams == null ? d.maxStreams : maxStreams,
            faucetEnabled == null ? d.faucetEnabled : faucetEnabled,
            faucetRequestsPerMinutePerClient == null ? d.faucetRequestsPerMinutePerClient : faucetRequestsPerMinutePerClient,
            livenessPort == null ? d.livenessPort : livenessPort);
    }
}
