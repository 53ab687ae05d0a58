/**
 * Wire formats of Basalt: the SBE schema, canonical signing bytes, identifiers and decoders that return typed errors for untrusted input.
 */
package io.basalt.protocol;
