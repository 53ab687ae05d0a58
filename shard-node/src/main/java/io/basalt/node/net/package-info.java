/**
 * Validator-to-validator transport over Aeron: UDP between processes, IPC inside one process.
 *
 * <p>Every consensus message travels as {@link io.basalt.node.net.MessageHeader} followed by the SBE
 * message; traffic between shards travels as {@link io.basalt.node.net.CrossShardHeader} + SBE on
 * {@link io.basalt.node.net.CrossShardTransport}'s own stream. The header names the sender; the
 * channel does not authenticate it yet (see {@code docs/node.md}, "Transport"): authenticated
 * per-peer channels are future work.
 */
package io.basalt.node.net;
