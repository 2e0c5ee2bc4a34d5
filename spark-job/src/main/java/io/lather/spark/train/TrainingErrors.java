package io.lather.spark.train;

import java.util.Map;
import java.util.TreeSet;

/** The training job's user-facing errors (problem, cause, fix), built in one place. */
public final class TrainingErrors {
    private TrainingErrors() {}

    /** A run with this id already has checkpoints, and --resume was not given. */
    public static TrainingException runExists(String runId, long step, String dir) {
        return new TrainingException("run '" + runId + "' already has checkpoints (newest at step " + step + ") in " + dir
                + ". Fix: pass --resume to continue it, or choose another run id with --set run.id=<new id>.");
    }

    /** --resume without any checkpoint. */
    public static TrainingException nothingToResume(String runId, String dir) {
        return new TrainingException("--resume was given but run '" + runId + "' has no checkpoint in " + dir
                + ". Fix: start it without --resume, or check run.id and checkpoint.dir.");
    }

    /** Resume with settings that change what the run computes. */
    public static TrainingException incompatibleResume(String runId, long step, Map<String, String> stored, Map<String, String> now) {
        TreeSet<String> keys = new TreeSet<>(stored.keySet());
        keys.addAll(now.keySet());
        StringBuilder diff = new StringBuilder();
        for (String k : keys) {
            String a = stored.get(k);
            String b = now.get(k);
            if (a == null ? b != null : !a.equals(b)) {
                diff.append("\n  ").append(k).append(": checkpoint has ").append(a == null ? "<unset>" : "'" + a + "'")
                        .append(", now ").append(b == null ? "<unset>" : "'" + b + "'");
            }
        }
        return new TrainingException("cannot resume run '" + runId + "' from its checkpoint at step " + step
                + ": these settings differ from the ones it was trained with:" + diff
                + "\nFix: resume with the original settings (they are stored in the checkpoint; `lather inspect` shows them), "
                + "or start a new run with another run.id.");
    }

    /** The data changed under a resumed run. */
    public static TrainingException dataChanged(String runId, String what, String stored, String now) {
        return new TrainingException("cannot resume run '" + runId + "': the training data changed (" + what + ": checkpoint "
                + stored + ", now " + now + "); a resumed run would not continue the same data order. Fix: restore the table "
                + "version the run read (Delta time travel), or start a new run.");
    }

    /** The model's parameters do not match the checkpoint's. */
    public static TrainingException modelChanged(String runId, String detail) {
        return new TrainingException("cannot resume run '" + runId + "': the model does not match the checkpoint (" + detail
                + "). Fix: resume with the model settings the run was started with, or start a new run.");
    }
}
