/**
 * Ed25519 signatures, SHA-256 hashing, and the peer channel keys (X25519 from Ed25519 keys, HKDF, HMAC-SHA256/128).
 * One facade per primitive, two providers: libsodium through the FFM API and Bouncy Castle.
 */
package io.basalt.crypto;
