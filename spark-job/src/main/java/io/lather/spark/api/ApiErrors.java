package io.lather.spark.api;

/**
 * The one place where the facade's user-facing errors are worded: the problem first, then {@code cause:} and
 * {@code fix:} lines.
 */
final class ApiErrors {
    private ApiErrors() {}

    private static LatherApiException error(String problem, String cause, String fix, Throwable source) {
        return new LatherApiException(problem + "\n  cause: " + cause + "\n  fix:   " + fix, source);
    }

    static LatherApiException replFactoryNotSerializable(String factoryClass, String offending, Throwable source) {
        return error("Cannot ship model factory " + factoryClass + " to Spark executors: it is not serializable ("
                        + offending + ").",
                "a factory written in a notebook or shell reaches the executors as a Java-serialized object, so it and "
                        + "everything it refers to must be java.io.Serializable.",
                "declare it `class MyFactory extends CustomModelFactory with Serializable`, keep its fields to plain "
                        + "values (sizes, names), and do not refer to a SparkSession, DataFrame or other non-serializable "
                        + "value of the notebook from inside it.", source);
    }

    static LatherApiException replFactoryTooLarge(String factoryClass, int encodedChars, int limit) {
        return error("Model factory " + factoryClass + " serializes to " + encodedChars + " characters (Base64); at most "
                        + limit + " fit in the class that carries it.",
                "the factory, or the notebook line wrapper it belongs to, holds large values (arrays, tables, "
                        + "collected data).",
                "define the factory class in a paragraph of its own that refers to no large value, pass sizes as "
                        + "constructor arguments, and build arrays inside build(); or compile it into a jar and set "
                        + "model.factory_class.", null);
    }

    static LatherApiException notInRepl() {
        return error("replModelFactory needs a Scala REPL session, but spark.repl.class.outputDir is not set.",
                "the class standing for the factory is written to the REPL's class output directory, from which Spark "
                        + "executors load REPL-defined classes; this session has none (it is not a Zeppelin %spark "
                        + "interpreter or spark-shell session).",
                "in a compiled application put the factory class (public, no-argument constructor) on the driver and "
                        + "executor classpath and set model.type = custom, model.factory_class = <its binary name>.",
                null);
    }

    static LatherApiException replDirNotVisible(String generatedName, String dir, Throwable source) {
        return error("The class " + generatedName + " written to " + dir + " cannot be loaded by the REPL that "
                        + "defined the factory.",
                "the session's spark.repl.class.outputDir is not the directory the Scala REPL compiles into "
                        + "(-Yrepl-outdir), so executors and the REPL see different classes.",
                "start the interpreter with spark.repl.class.outputDir equal to the REPL's output directory (Zeppelin "
                        + "and spark-shell do this themselves).", source);
    }

    static LatherApiException replFactoryUnreadable(String generatedName, String detail, Throwable source) {
        return error("Cannot read back the model factory carried by " + generatedName + ": " + detail + ".",
                "a class the factory refers to cannot be loaded here, or the class changed since it was serialized.",
                "run the paragraph that defines the factory and the one that calls Lather.replModelFactory again, in "
                        + "this interpreter session.", source);
    }

    static LatherApiException io(String what, String path, Throwable source) {
        return error("Cannot " + what + " " + path + ": " + source + ".",
                "the file system refused the operation.",
                "check that the directory exists and is writable by the interpreter process.", source);
    }
}
