package io.basalt.node.api;

import io.basalt.protocol.RejectCode;

/** The answer to a submission: accepted (ACCEPTED finality) or refused with a code. */
public record SubmitResult(byte[] txId, RejectCode code) {
    public boolean accepted() {
        return code == RejectCode.NONE;
    }
}
