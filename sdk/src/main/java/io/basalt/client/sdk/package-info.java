/**
 * The Java SDK: {@link io.basalt.client.sdk.BasaltClient} talks to a validator over HTTP/JSON with a
 * WebSocket finality stream, or over the Aeron fast path, and routes by shard;
 * {@link io.basalt.client.sdk.QuorumBasaltClient} trusts no single validator and takes an answer only from f+1
 * matching ones; {@link io.basalt.client.sdk.TransactionBuilder} and {@link io.basalt.client.sdk.Swap} encode and
 * sign transactions. It runs on Java 21 and depends on no node code. The wire formats are in {@code docs/api.md}.
 */
package io.basalt.client.sdk;
