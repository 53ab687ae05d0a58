/**
 * The Java SDK: {@link io.basalt.client.sdk.BasaltClient} talks to a validator over HTTP/JSON with a
 * WebSocket finality stream, or over the Aeron fast path; {@link io.basalt.client.sdk.TransactionBuilder}
 * encodes and signs transactions. The wire formats are in {@code docs/api.md}.
 */
package io.basalt.client.sdk;
