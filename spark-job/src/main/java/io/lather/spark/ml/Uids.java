package io.lather.spark.ml;

import org.apache.spark.ml.util.Identifiable$;

/**
 * Hands a uid to a stage's {@code uid()} while the Spark superclass constructor is still running.
 *
 * <p>Why: Spark's Scala traits create their params ({@code featuresCol}, {@code labelCol}, ...) in the superclass
 * constructor, and each param records {@code parent.uid()} at that moment. A Java subclass cannot assign a field before
 * {@code super()} runs, so a uid passed to its constructor would arrive too late and those params would belong to
 * {@code null} ({@code set} then fails with "Param ... does not belong to ..."). The public constructor therefore stashes
 * the uid here (in the argument of {@code this(...)}, which is evaluated before {@code super()}), and {@code uid()} takes
 * it on its first call, which happens inside the superclass constructor.
 */
final class Uids {
    private Uids() {}

    private static final ThreadLocal<String> PENDING = new ThreadLocal<>();

    /** Proof that a uid was stashed; the argument type of the private constructors. */
    enum Token {
        INSTANCE
    }

    static Token stash(String uid) {
        if (uid == null || uid.isEmpty()) {
            throw new LatherMlException("uid must be a non-empty string; use the no-argument constructor for a random one");
        }
        PENDING.set(uid);
        return Token.INSTANCE;
    }

    /** The stashed uid (consumed), or a new random one with the prefix. */
    static String take(String prefix) {
        String u = PENDING.get();
        PENDING.remove();
        return u != null ? u : Identifiable$.MODULE$.randomUID(prefix);
    }

    /** A random uid such as {@code latherClassifier_1a2b3c4d5e6f}. */
    static String random(String prefix) {
        return Identifiable$.MODULE$.randomUID(prefix);
    }
}
