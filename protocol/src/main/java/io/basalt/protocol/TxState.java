package io.basalt.protocol;

/** What a validator knows about a transaction id. */
public enum TxState { UNKNOWN, ACCEPTED, COMMITTED, REJECTED, SETTLED }
