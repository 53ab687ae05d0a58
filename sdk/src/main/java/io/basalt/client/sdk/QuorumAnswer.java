package io.basalt.client.sdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link QuorumBasaltClient} learned from the validators it asked: an answer that validators holding f+1 of
 * the shard's stake gave alike, or why there is none. Every reply is kept, dissent included: a validator that
 * answered differently from its committee is news to the caller, not noise to drop.
 *
 * @param verdict   AGREED, CONFLICTING or TOO_FEW_ANSWERS
 * @param finality  the agreed answer when AGREED, else null
 * @param threshold the stake that had to answer alike: f+1 of the shard's stake
 * @param replies   every reply received by the time the answer was decided, in arrival order
 */
public record QuorumAnswer(Verdict verdict, Finality finality, long threshold, List<Reply> replies) {
    public enum Verdict {
        /** Validators holding at least {@link #threshold} of stake gave {@link #finality}. */
        AGREED,
        /** The validators answered differently and no answer can reach the threshold any more. */
        CONFLICTING,
        /** Too few validators answered (unreachable, failing or timed out), and those that did agree. */
        TOO_FEW_ANSWERS
    }

    /** One validator's reply: its answer, or the failure that stands in for one. */
    public record Reply(NetworkMap.Validator validator, Finality finality, Throwable failure) {
        public boolean answered() {
            return finality != null;
        }
    }

    public QuorumAnswer {
        Objects.requireNonNull(verdict, "verdict");
        if ((verdict == Verdict.AGREED) != (finality != null)) {
            throw new IllegalArgumentException("an answer has a finality exactly when it is AGREED");
        }
        replies = List.copyOf(replies);
    }

    public boolean agreed() {
        return verdict == Verdict.AGREED;
    }

    /** The answers that differ from the agreed one; when there is none agreed, every answer. */
    public List<Reply> dissent() {
        final List<Reply> dissent = new ArrayList<>();
        for (final Reply reply : replies) {
            if (reply.answered() && (finality == null || !QuorumBasaltClient.sameAnswer(finality, reply.finality()))) {
                dissent.add(reply);
            }
        }
        return dissent;
    }

    /** One line for people, e.g. "AGREED COMMITTED SUCCESS at height 5 (3 of 4 replies)". */
    public String describe() {
        final StringBuilder text = new StringBuilder(verdict.name());
        if (finality != null) {
            text.append(' ').append(finality.describe());
        }
        text.append(" (").append(replies.stream().filter(Reply::answered).count()).append(" answers");
        for (final Reply reply : dissent()) {
            text.append("; validator ").append(reply.validator().index()).append(": ").append(reply.finality().describe());
        }
        return text.append(')').toString();
    }
}
