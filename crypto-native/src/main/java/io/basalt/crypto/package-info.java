/**
 * Ed25519 signatures and SHA-256 hashing. One facade, two providers: libsodium through the FFM API and Bouncy Castle.
 */
package io.basalt.crypto;
