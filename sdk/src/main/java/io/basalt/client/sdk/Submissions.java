package io.basalt.client.sdk;

import io.basalt.protocol.TxState;
import java.util.concurrent.CompletableFuture;

/** What the HTTP and Aeron clients share about a submission's two answers. */
final class Submissions {
    private Submissions() {
    }

    /**
     * A rejection at admission is final and completes {@code finality} at once; an ACCEPTED answer
     * leaves it to the finality stream; a failure to submit fails it.
     */
    static void completeOnRejection(final CompletableFuture<Finality> admission, final CompletableFuture<Finality> finality) {
        admission.whenComplete((answer, failure) -> {
            if (failure != null) {
                finality.completeExceptionally(failure);
            } else if (answer.state() == TxState.REJECTED) {
                finality.complete(answer);
            }
        });
    }
}
