package io.lather.datasets.synthetic;

import java.nio.charset.StandardCharsets;

/**
 * SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014;
 * reference code: Vigna, https://prng.di.unimi.it/splitmix64.c), the generator behind every synthetic
 * table.
 *
 * <p>Why our own instead of {@link java.util.SplittableRandom} or {@link java.util.Random}: the output
 * must be the same on every JVM, forever, because a table's content is defined by its seed (it is what
 * the idempotency check and the stored properties rely on). The JDK documents neither algorithm as a
 * stable contract, and {@code nextGaussian} changed algorithm in Java 17. Everything here is specified
 * below, and Gaussians use {@link StrictMath} (fdlibm, bit-identical on every platform) rather than
 * {@link Math}, whose intrinsics may differ in the last bit between machines.
 *
 * <p>Definitions: {@code nextLong}: {@code state += 0x9E3779B97F4A7C15; return mix64(state)} with
 * {@code mix64(z) = z ^= z >>> 30, z *= 0xBF58476D1CE4E5B9, z ^= z >>> 27, z *= 0x94D049BB133111EB,
 * z ^ (z >>> 31)}. {@code nextDouble = (nextLong >>> 11) · 2^-53} in [0, 1). {@code nextGaussian}:
 * Box–Muller from two doubles, {@code sqrt(-2 ln(1 - u1)) · cos(2π u2)}, one value per call.
 * {@link #at(long, long, long)} seeds independent streams: the state is
 * {@code mix64(mix64(mix64(seed) + stream · G) + index · G)} with {@code G = 0x9E3779B97F4A7C15}.
 * A row's generator is {@code at(seed, stream, row_id)}, so rows do not depend on how they are
 * partitioned.
 */
public final class SplitMix64 {

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private long state;

  /**
   * @param seed the initial state
   */
  public SplitMix64(long seed) {
    this.state = seed;
  }

  /**
   * The generator of one element of one stream.
   *
   * @param seed the table's seed
   * @param stream which kind of values (see {@link #streamId(String)})
   * @param index element within the stream, e.g. the row id
   * @return a fresh generator
   */
  public static SplitMix64 at(long seed, long stream, long index) {
    return new SplitMix64(mix64(mix64(mix64(seed) + stream * GOLDEN) + index * GOLDEN));
  }

  /**
   * A stream id from a name: 64-bit FNV-1a of the name's UTF-8 bytes (e.g. {@code "teacher"},
   * {@code "rows/train"}).
   *
   * @param name the stream's name
   * @return its id
   */
  public static long streamId(String name) {
    long h = 0xCBF29CE484222325L;
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xFF;
      h *= 0x100000001B3L;
    }
    return h;
  }

  /**
   * The SplitMix64 finalizer: a bijective 64-bit mix.
   *
   * @param z input
   * @return mixed value
   */
  public static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** @return the next 64 random bits */
  public long nextLong() {
    state += GOLDEN;
    return mix64(state);
  }

  /** @return a uniform double in [0, 1) with 53 random bits */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** @return a standard normal value (Box–Muller, two uniforms per value) */
  public double nextGaussian() {
    double u1 = nextDouble();
    double u2 = nextDouble();
    // 1 - u1 is in (0, 1], so the log is finite.
    return StrictMath.sqrt(-2.0 * StrictMath.log(1.0 - u1))
        * StrictMath.cos(2.0 * StrictMath.PI * u2);
  }
}
