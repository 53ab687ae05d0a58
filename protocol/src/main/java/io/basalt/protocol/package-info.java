/**
 * Wire formats of Basalt: the SBE schema (generated into {@code io.basalt.protocol.sbe}), canonical
 * signing bytes, and decoders that return typed errors for untrusted input.
 *
 * <p>Untrusted bytes go through {@link io.basalt.protocol.MessageValidator} first; only a message it
 * accepts may be read with the generated flyweights. The byte layout, canonicality rules and limits
 * are described in {@code protocol/README.md}.
 */
package io.basalt.protocol;
