package io.lather.spark.train;

import java.io.Serializable;

/**
 * The learning rate at step t (1-based): linear warm-up from 0 over {@code warmup} steps, then constant, cosine or
 * linear decay to {@code minRatio}·peak at step {@code total}.
 *
 * @param kind constant, cosine or linear
 * @param peak the optimizer's configured learning rate
 * @param warmup warm-up steps
 * @param total total steps of the run
 * @param minRatio final rate as a fraction of the peak
 */
public record LearningRateSchedule(String kind, double peak, long warmup, long total, double minRatio) implements Serializable {
    /** The rate for step t. */
    public double at(long t) {
        if (warmup > 0 && t <= warmup) {
            return peak * t / warmup;
        }
        if (kind.equals("constant") || total <= warmup) {
            return peak;
        }
        double progress = Math.min(1.0, (double) (t - warmup) / (total - warmup));
        double min = peak * minRatio;
        return switch (kind) {
            case "cosine" -> min + (peak - min) * 0.5 * (1 + Math.cos(Math.PI * progress));
            case "linear" -> peak - (peak - min) * progress;
            default -> peak;
        };
    }
}
