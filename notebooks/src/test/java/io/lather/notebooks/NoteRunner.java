package io.lather.notebooks;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.tools.nsc.Settings;
import scala.tools.nsc.interpreter.IMain;
import scala.tools.nsc.interpreter.Results;
import scala.tools.nsc.interpreter.shell.ReplReporterImpl;

/**
 * Runs the paragraphs of one note the way Zeppelin's Spark interpreter group does, on a shared local Spark session:
 * <ul>
 *   <li>{@code %spark}: a Scala 2.13 REPL ({@link IMain}, what Zeppelin's {@code SparkScala213Interpreter} runs) with
 *       {@code -Yrepl-class-based} and {@code -Yrepl-outdir} equal to the session's {@code spark.repl.class.outputDir},
 *       so executors load REPL classes through Spark's executor class loader; {@code spark}, {@code sc},
 *       {@code sqlContext} and {@code z} bound {@code @transient} and Zeppelin's default imports run first. A paragraph
 *       is fed statement by statement with the line-joining rules of Zeppelin's {@code SparkInterpreter}
 *       (continuation lines starting with {@code .}, blank and comment lines, closing braces, companion objects;
 *       accumulate while the REPL answers Incomplete; stop at the first Error). Interpreting a whole paragraph as one
 *       unit can deadlock when it defines a case class and runs a Dataset job with it: the job's tasks need the class
 *       of the wrapper object that is still being initialised;</li>
 *   <li>{@code %spark.sql} / {@code %sql}: each {@code ;}-separated statement through {@code spark.sql}, the result
 *       shown as a {@code %table}. Stricter than Zeppelin: a query that returns no rows, or a chart setting that names
 *       a column the query does not return, fails the paragraph (the chart would be empty or out of sync);</li>
 *   <li>{@code %md}: skipped. Disabled paragraphs are skipped, as Zeppelin's "run all" does. Any other interpreter
 *       fails the note.</li>
 * </ul>
 * Each note gets its own REPL with its own wrapper-class prefix ({@code scala.repl.name.line}), as Zeppelin's scoped
 * interpreter mode does, so that notes sharing the session and the class directory do not overwrite each other's
 * classes.
 */
final class NoteRunner implements AutoCloseable {
    /** Outcome of one paragraph. */
    record ParagraphResult(ZeppelinNote.Paragraph paragraph, boolean ok, boolean skipped, String output, long millis) {}

    private final SparkSession spark;
    private final StandInZeppelinContext z;
    private final PrintStream console;
    private final SwitchableOutput sink = new SwitchableOutput();
    private final PrintStream sinkStream = new PrintStream(sink, true, StandardCharsets.UTF_8);
    private final IMain intp;

    /**
     * @param spark the session; its {@code spark.repl.class.outputDir} is the REPL's output directory
     * @param linePrefix the REPL's wrapper package prefix, {@code $line} followed by digits, unique per note
     * @param z the {@code z} to bind
     * @param console where paragraph output is echoed (the test log)
     */
    NoteRunner(SparkSession spark, String linePrefix, StandInZeppelinContext z, PrintStream console) {
        this.spark = spark;
        this.z = z;
        this.console = console;
        String outputDir = spark.sparkContext().getConf().get("spark.repl.class.outputDir", null);
        if (outputDir == null) {
            throw new IllegalStateException("the session has no spark.repl.class.outputDir; set it before the session starts "
                    + "(executors read REPL classes from it)");
        }
        // read by the REPL's naming when it names wrapper classes: $line<prefix-digits><line number>
        System.setProperty("scala.repl.name.line", linePrefix);
        Settings settings = new Settings();
        settings.processArguments(scalaList(List.of("-Yrepl-class-based", "-Yrepl-outdir", outputDir)), true);
        settings.usejavacp().v_$eq(true);
        settings.classpath().v_$eq(String.join(File.pathSeparator, javaClassPath()));
        sink.to(new ByteArrayOutputStream());
        intp = new IMain(settings, new ReplReporterImpl(settings, new PrintWriter(sinkStream, true)));
        if (!intp.initializeCompiler()) {
            throw new IllegalStateException("the Scala REPL did not start: " + sink.text());
        }
        bind("spark", spark.getClass().getCanonicalName(), spark);
        bind("sc", "org.apache.spark.SparkContext", spark.sparkContext());
        bind("sqlContext", spark.sqlContext().getClass().getCanonicalName(), spark.sqlContext());
        bind("z", StandInZeppelinContext.class.getCanonicalName(), z);
        // Zeppelin's AbstractSparkScalaInterpreter runs these before any paragraph
        for (String line : List.of("import org.apache.spark.SparkContext._", "import spark.implicits._", "import spark.sql",
                "import org.apache.spark.sql.functions._", "print(\"\")")) {
            if (!isSuccess(interpretStatement(line))) {
                throw new IllegalStateException("Zeppelin's start-up line `" + line + "` failed: " + sink.text());
            }
        }
    }

    private void bind(String name, String type, Object value) {
        Results.Result r = intp.bind(name, type, value, scalaList(List.of("@transient")));
        if (!isSuccess(r)) {
            throw new IllegalStateException("cannot bind " + name + ": " + sink.text());
        }
    }

    /** Runs one paragraph and returns its outcome (never throws for a paragraph error). */
    ParagraphResult run(ZeppelinNote.Paragraph p) {
        long t0 = System.nanoTime();
        if (!p.enabled() || p.interpreter().equals("md")) {
            return new ParagraphResult(p, true, true, "", 0);
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        sink.to(new TeeOutput(buffer, console));
        z.setOut(sinkStream);
        PrintStream originalOut = System.out;
        Thread thread = Thread.currentThread();
        ClassLoader originalLoader = thread.getContextClassLoader();
        boolean ok;
        // as Zeppelin: System.out and Console.out go to the paragraph's output, the REPL's loader is the context loader
        System.setOut(sinkStream);
        thread.setContextClassLoader(intp.classLoader());
        try {
            ok = switch (p.interpreter()) {
                case "spark", "spark.spark" -> runScala(p.body());
                case "spark.sql", "sql" -> runSql(p);
                default -> {
                    sinkStream.println("the CI harness cannot run interpreter %" + p.interpreter()
                            + " (it runs %spark, %spark.sql and skips %md)");
                    yield false;
                }
            };
        } catch (RuntimeException e) {
            e.printStackTrace(sinkStream);
            ok = false;
        } finally {
            System.setOut(originalOut);
            thread.setContextClassLoader(originalLoader);
            sinkStream.flush();
        }
        return new ParagraphResult(p, ok, false, buffer.toString(StandardCharsets.UTF_8), (System.nanoTime() - t0) / 1_000_000);
    }

    /** Zeppelin's statement-by-statement feeding of a Scala paragraph; true on success. */
    private boolean runScala(String code) {
        String[] lines = code.split("\n", -1);
        StringBuilder incomplete = new StringBuilder();
        boolean inComment = false;
        Results.Result r = null;
        for (int l = 0; l < lines.length; l++) {
            String s = lines[l];
            if (l + 1 < lines.length) {
                String next = lines[l + 1].trim();
                boolean continuation = false;
                if (next.isEmpty() || next.startsWith("//") || next.startsWith("}") || next.startsWith("object")) {
                    continuation = true; // blank or comment line, closing brace, "} object" of a companion
                } else if (!inComment && next.startsWith("/*")) {
                    inComment = true;
                    continuation = true;
                } else if (inComment && next.lastIndexOf("*/") >= 0) {
                    inComment = false;
                    continuation = true;
                } else if (next.length() > 1 && next.charAt(0) == '.' && next.charAt(1) != '.' && next.charAt(1) != '/') {
                    continuation = true; // a method chain continued on the next line
                } else if (inComment) {
                    continuation = true;
                }
                if (continuation) {
                    incomplete.append(s).append('\n');
                    continue;
                }
            }
            if (!hasCode(incomplete + s)) {
                // Scala 2.13's REPL answers Error, silently, for input that is only blank or comment lines (older
                // REPLs did not); carry such lines into the next statement instead
                incomplete.append(s).append('\n');
                continue;
            }
            r = interpretStatement(incomplete + s);
            if (isError(r)) {
                return false;
            } else if (isIncomplete(r)) {
                incomplete.append(s).append('\n');
            } else {
                incomplete.setLength(0);
            }
        }
        if (r != null && isIncomplete(r) && hasCode(incomplete.toString())) {
            // a paragraph ending in a comment is Incomplete; Zeppelin then appends print("")
            r = interpretStatement(incomplete + "\nprint(\"\")");
            if (isIncomplete(r)) {
                sinkStream.println("Incomplete expression");
                return false;
            }
        }
        return r == null || isSuccess(r);
    }

    /** False when the text is only whitespace, {@code //} comments and {@code /* *}{@code /} comments. */
    static boolean hasCode(String text) {
        String noBlockComments = text.replaceAll("(?s)/\\*.*?\\*/", " ");
        return !noBlockComments.replaceAll("//[^\n]*", " ").isBlank();
    }

    private Results.Result interpretStatement(String code) {
        try {
            return scala.Console$.MODULE$.withOut(sinkStream, () -> intp.interpret(code));
        } catch (RuntimeException | LinkageError e) {
            e.printStackTrace(sinkStream);
            return Results.Error$.MODULE$;
        }
    }

    /** {@code %spark.sql}: every statement through spark.sql; the results shown as tables and checked. */
    private boolean runSql(ZeppelinNote.Paragraph p) {
        List<String> statements = splitSql(p.body());
        List<String> lastColumns = List.of();
        for (String sql : statements) {
            Dataset<Row> df = spark.sql(sql);
            if (df.columns().length == 0) {
                continue; // a command (e.g. CREATE TEMPORARY VIEW): nothing to show
            }
            z.show(df); // fails on an empty result
            lastColumns = List.of(df.columns());
        }
        List<String> unknown = chartColumnsMissing(p.json(), lastColumns);
        if (!unknown.isEmpty()) {
            sinkStream.println("the paragraph's chart settings name column(s) " + unknown + " that the query does not return "
                    + "(it returns " + lastColumns + ")");
            return false;
        }
        return true;
    }

    /** Column names in {@code config.results.*.graph.{keys,groups,values}} that are not among {@code columns}. */
    static List<String> chartColumnsMissing(JsonNode paragraph, List<String> columns) {
        List<String> missing = new ArrayList<>();
        JsonNode results = paragraph.path("config").path("results");
        for (JsonNode r : results) {
            for (String part : List.of("keys", "groups", "values")) {
                for (JsonNode c : r.path("graph").path(part)) {
                    String name = c.path("name").asText();
                    if (!columns.contains(name)) {
                        missing.add(name);
                    }
                }
            }
        }
        return missing;
    }

    /** Splits on {@code ;} outside quotes, backticks and {@code --} comments; drops blank statements. */
    static List<String> splitSql(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        boolean lineComment = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (lineComment) {
                if (c == '\n') {
                    lineComment = false;
                    cur.append(c);
                }
                continue;
            }
            if (quote != 0) {
                cur.append(c);
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"' || c == '`') {
                quote = c;
                cur.append(c);
            } else if (c == '-' && i + 1 < text.length() && text.charAt(i + 1) == '-') {
                lineComment = true;
            } else if (c == ';') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static boolean isSuccess(Results.Result r) {
        return r instanceof Results.Success$;
    }

    private static boolean isError(Results.Result r) {
        return r instanceof Results.Error$;
    }

    private static boolean isIncomplete(Results.Result r) {
        return r instanceof Results.Incomplete$;
    }

    @Override
    public void close() {
        intp.close();
    }

    private static scala.collection.immutable.List<String> scalaList(List<String> list) {
        return scala.jdk.javaapi.CollectionConverters.asScala(list).toList();
    }

    /**
     * The JVM's class path with manifest {@code Class-Path} entries expanded: under Maven Surefire the class path is
     * one "manifest-only" jar whose manifest lists the real entries, and the Scala compiler does not read manifests.
     */
    static List<String> javaClassPath() {
        Set<String> out = new LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            out.add(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(Path.of(entry))) {
                try (JarFile jar = new JarFile(entry)) {
                    Manifest m = jar.getManifest();
                    String cp = m == null ? null : m.getMainAttributes().getValue("Class-Path");
                    if (cp != null) {
                        URI base = Path.of(entry).toAbsolutePath().getParent().toUri();
                        for (String ref : cp.trim().split("\\s+")) {
                            if (!ref.isEmpty()) {
                                URL url = base.resolve(ref).toURL();
                                out.add(Path.of(url.toURI()).toString());
                            }
                        }
                    }
                } catch (IOException | java.net.URISyntaxException | IllegalArgumentException e) {
                    throw new IllegalStateException("cannot read the manifest of class path entry " + entry, e);
                }
            }
        }
        return new ArrayList<>(out);
    }

    /** An output stream whose target can be swapped between paragraphs. */
    private static final class SwitchableOutput extends OutputStream {
        private volatile OutputStream target = OutputStream.nullOutputStream();

        void to(OutputStream t) {
            target = t;
        }

        String text() {
            return target instanceof ByteArrayOutputStream b ? b.toString(StandardCharsets.UTF_8) : "";
        }

        @Override
        public void write(int b) throws IOException {
            target.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            target.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            target.flush();
        }
    }

    /** Writes to a buffer and echoes to the console. */
    private static final class TeeOutput extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        TeeOutput(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) throws IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public void write(byte[] x, int off, int len) throws IOException {
            a.write(x, off, len);
            b.write(x, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
            b.flush();
        }
    }
}
