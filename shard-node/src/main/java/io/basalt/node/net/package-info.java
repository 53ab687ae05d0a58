/**
 * Validator-to-validator transport over Aeron: UDP between processes, IPC inside one process.
 *
 * <p>Every consensus message travels as {@link io.basalt.node.net.MessageHeader} followed by the SBE
 * message; traffic between shards travels as {@link io.basalt.node.net.CrossShardHeader} + SBE on
 * {@link io.basalt.node.net.CrossShardTransport}'s own stream. The header names the sender and
 * carries a sequence number and a tag under the pairwise key of {@link io.basalt.node.net.PeerAuth},
 * derived from the two validators' genesis keys; a message whose tag or number fails is dropped and
 * counted before it reaches a core (see {@code docs/node.md}, "Peer authentication").
 */
package io.basalt.node.net;
