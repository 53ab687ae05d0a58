/**
 * Client-facing surfaces of a validator: the HTTP/JSON gateway with its WebSocket finality stream,
 * Prometheus metrics, health/readiness and the faucet ({@link io.basalt.node.gateway.HttpGateway}),
 * and the server side of the Aeron fast path ({@link io.basalt.node.gateway.AeronClientGateway}).
 *
 * <p>Both talk to the validator only through {@link io.basalt.node.api.NodeApi}; both treat every
 * byte from a client as untrusted: they reject bad input with a stable code, count it, and keep
 * running. The wire formats are documented in {@code docs/api.md}.
 *
 * <pre>
 *   node thread ──FinalityListener──▶ bounded queue ──▶ stream thread ──▶ Jetty async send, per connection
 *                                                       (too many unwritten messages: that client is dropped)
 * </pre>
 */
package io.basalt.node.gateway;
