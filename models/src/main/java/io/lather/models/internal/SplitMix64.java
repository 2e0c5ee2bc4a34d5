package io.lather.models.internal;

import java.nio.charset.StandardCharsets;

/**
 * SplitMix64 (Steele, Lea &amp; Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014; the
 * reference C code is Vigna's {@code splitmix64.c}), the generator behind initialisation.
 *
 * <p>Why this one: it is specified by a few lines of 64-bit integer arithmetic, so the same seed gives the same
 * bits in any language on any machine (unlike {@code java.util.Random}'s contract, ND4J's native RNG, or a BLAS
 * call), and it is the generator the rest of the project can re-implement in a test oracle. Statistical quality
 * is ample for drawing initial weights.
 *
 * <p>state ← state + 0x9E3779B97F4A7C15; z = state; z = (z ⊕ (z ≫ 30))·0xBF58476D1CE4E5B9;
 * z = (z ⊕ (z ≫ 27))·0x94D049BB133111EB; output z ⊕ (z ≫ 31) (unsigned shifts, arithmetic mod 2⁶⁴).
 * Seeded with 1234567 the first outputs are 6457827717110365317, 3203168211198807973, 9817491932198370423
 * (as unsigned 64-bit integers; the reference vectors tests check).
 *
 * <p>Not thread-safe; one instance per stream.
 */
public final class SplitMix64 {
    /** The increment, 2⁶⁴/φ rounded to odd. */
    public static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    /**
     * A generator whose first output is that of the reference seeded with {@code seed}.
     *
     * @param seed any 64-bit value
     */
    public SplitMix64(long seed) {
        this.state = seed;
    }

    /**
     * The next 64 output bits.
     *
     * @return the next output (read as unsigned)
     */
    public long nextLong() {
        long z = (state += GOLDEN_GAMMA);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * A uniform double in [0, 1): the top 53 bits of {@link #nextLong()} times 2⁻⁵³, so every value is exact.
     *
     * @return u in [0, 1)
     */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /**
     * FNV-1a, 64-bit (offset basis 0xCBF29CE484222325, prime 0x100000001B3) of the UTF-8 bytes of {@code s}: a
     * stable hash of a parameter name, used to give each parameter its own stream. {@code "a"} → 0xAF63DC4C8601EC8C.
     *
     * @param s the text
     * @return the hash
     */
    public static long fnv1a64(String s) {
        long h = 0xCBF29CE484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xFF);
            h *= 0x100000001B3L;
        }
        return h;
    }

    /**
     * The stream of one named parameter for a run seed: a SplitMix64 seeded with the first output of a SplitMix64
     * seeded with {@code seed ⊕ fnv1a64(name)}. Hashing the name (rather than counting parameters) means that
     * adding a layer does not change the initial values of the others; the extra mixing step keeps streams of
     * nearby seeds unrelated.
     *
     * @param seed the run seed
     * @param name the parameter's stable name
     * @return a fresh generator
     */
    public static SplitMix64 forParameter(long seed, String name) {
        return new SplitMix64(new SplitMix64(seed ^ fnv1a64(name)).nextLong());
    }
}
