package io.lather.notebooks;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import io.lather.datasets.spark.LatherSparkSessions;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Executes every note under {@code notebooks/notes} headless, as Zeppelin's "run all" would, against a
 * {@code local[2]} Spark session on small data, and fails on any paragraph error (see {@link NoteRunner} for what is
 * emulated). One dynamic test per note, so CI reports each note; the failure names the note, the paragraph and its
 * output. Per-note wall times are printed at the end.
 *
 * <p>Small data: every note reads its sizes from {@code z.textbox} forms whose defaults are the full dataset; the
 * stand-in {@code z} answers them from {@link #CI_FORMS}, and a form missing there fails the note.
 */
class NotebooksTest {
    /** The answers to the notes' forms in CI ({@code data_dir} is added per run). */
    static final Map<String, String> CI_FORMS = Map.of(
            "train_rows", "1024", // Fashion-MNIST training rows: 2 partitions x 64 rows x 8 steps = one epoch
            "test_rows", "256",
            "steps", "8",
            "readings", "1200"); // rows of the bring-your-own-model note's synthetic sensor table

    @TempDir
    static Path work;

    private static SparkSession spark;
    private static final Map<String, String> TIMES = new LinkedHashMap<>();

    @BeforeAll
    static void session() throws Exception {
        Path classes = Files.createDirectories(work.resolve("repl-classes"));
        // spark.repl.class.outputDir must be set before the SparkContext starts: the context then serves the directory
        // and local executors load REPL classes from it through Spark's ExecutorClassLoader, as under Zeppelin
        SparkSession.Builder b = SparkSession.builder()
                .master("local[2]")
                .appName("lather-notebooks")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.default.parallelism", "2")
                .config("spark.databricks.delta.snapshotPartitions", "2")
                .config("spark.sql.warehouse.dir", work.resolve("spark-warehouse").toString())
                .config("spark.repl.class.outputDir", classes.toString());
        spark = LatherSparkSessions.withDelta(b).getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        if (!classes.toString().equals(spark.sparkContext().getConf().get("spark.repl.class.outputDir", ""))) {
            throw new IllegalStateException("another Spark session was already running in this JVM; the notebook harness "
                    + "needs its own (spark.repl.class.outputDir is fixed when a session starts)");
        }
    }

    @AfterAll
    static void summary() {
        System.out.println("\n==== notebook run times (local[2], CI data sizes " + CI_FORMS + ")");
        TIMES.forEach((note, time) -> System.out.println("  " + note + ": " + time));
        if (spark != null) {
            spark.stop();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyNoteRunsHeadless() {
        List<ZeppelinNote> notes = ZeppelinNote.readAll(ZeppelinNote.notesDir());
        assertFalse(notes.isEmpty(), "no .zpln notes under " + ZeppelinNote.notesDir().toAbsolutePath());
        // -Dlather.notes.only=<text>: run only the notes whose file name contains it (while editing a note)
        String only = System.getProperty("lather.notes.only", "");
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < notes.size(); i++) {
            ZeppelinNote note = notes.get(i);
            if (!note.file().getFileName().toString().contains(only)) {
                continue;
            }
            // a fixed-width numeric prefix per note: wrapper names ($line<prefix><n>) of two notes can never collide
            String prefix = "$line" + (1001 + i);
            tests.add(DynamicTest.dynamicTest(note.name(), note.file().toUri(), () -> runNote(note, prefix)));
        }
        return tests.stream();
    }

    private static void runNote(ZeppelinNote note, String prefix) {
        PrintStream console = System.out;
        Map<String, String> forms = new LinkedHashMap<>(CI_FORMS);
        forms.put("data_dir", work.resolve("data").toString());
        StandInZeppelinContext z = new StandInZeppelinContext(forms, console);
        long t0 = System.nanoTime();
        List<String> paragraphTimes = new ArrayList<>();
        console.println("\n==== note '" + note.name() + "' (" + note.file().getFileName() + ")");
        try (NoteRunner runner = new NoteRunner(spark, prefix, z, console)) {
            for (ZeppelinNote.Paragraph p : note.paragraphs()) {
                if (!p.enabled() || p.interpreter().equals("md")) {
                    continue;
                }
                console.println("---- " + p.label() + " %" + p.interpreter());
                NoteRunner.ParagraphResult r = runner.run(p);
                paragraphTimes.add(p.index() + ":" + String.format(Locale.ROOT, "%.1fs", r.millis() / 1000.0));
                if (!r.ok()) {
                    fail("note '" + note.name() + "' (" + note.file().getFileName() + "), " + p.label() + " %" + p.interpreter()
                            + " failed. Its output:\n" + r.output());
                }
            }
        } finally {
            double seconds = (System.nanoTime() - t0) / 1e9;
            TIMES.put(note.name(), String.format(Locale.ROOT, "%.1f s (paragraphs %s)", seconds, paragraphTimes));
            console.printf(Locale.ROOT, "==== note '%s': %.1f s%n", note.name(), seconds);
        }
    }
}
