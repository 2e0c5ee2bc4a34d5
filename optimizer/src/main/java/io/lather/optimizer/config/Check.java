package io.lather.optimizer.config;

/** Range checks used by the compact constructors of the config records; every failure is a {@link ConfigException}. */
final class Check {
    private Check() {}

    static double closed(String field, double v, double lo, double hi) {
        if (!(v >= lo && v <= hi)) {
            throw new ConfigException(field, v, "must be in [" + fmt(lo) + ", " + fmt(hi) + "]");
        }
        return v;
    }

    static double openClosed(String field, double v, double lo, double hi) {
        if (!(v > lo && v <= hi)) {
            throw new ConfigException(field, v, "must be in (" + fmt(lo) + ", " + fmt(hi) + "]");
        }
        return v;
    }

    static double closedOpen(String field, double v, double lo, double hi) {
        if (!(v >= lo && v < hi)) {
            throw new ConfigException(field, v, "must be in [" + fmt(lo) + ", " + fmt(hi) + ")");
        }
        return v;
    }

    static double open(String field, double v, double lo, double hi) {
        if (!(v > lo && v < hi)) {
            throw new ConfigException(field, v, "must be in (" + fmt(lo) + ", " + fmt(hi) + ")");
        }
        return v;
    }

    static double positive(String field, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new ConfigException(field, v, "must be a finite number > 0");
        }
        return v;
    }

    static double nonNegative(String field, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new ConfigException(field, v, "must be a finite number >= 0");
        }
        return v;
    }

    static long atLeast(String field, long v, long min) {
        if (v < min) {
            throw new ConfigException(field, v, "must be an integer >= " + min);
        }
        return v;
    }

    static <T> T notNull(String field, T v) {
        if (v == null) {
            throw new ConfigException(field, "null", "must be set");
        }
        return v;
    }

    static String fmt(double d) {
        if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }
}
