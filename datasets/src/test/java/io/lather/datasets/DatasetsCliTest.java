package io.lather.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: what it prints, its exit codes, its usage errors. */
class DatasetsCliTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    out.reset();
    err.reset();
    return DatasetsCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), TestSpark::get);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void syntheticKroneckerThenValidate(@TempDir Path dir) {
    assertEquals(0, run("synthetic-kronecker", "--out", dir.toString(), "--rows", "64",
        "--test-rows", "16", "--m", "2", "--n", "3", "--kappa-l", "10", "--seed", "4",
        "--partitions", "2"), err());
    assertTrue(out().startsWith("wrote " + dir.resolve("train") + ": 64 rows, 6 features, "
        + "regression, splits [train] (source: synthetic Kronecker least squares: W* 2x3"), out());
    assertTrue(out().contains("wrote " + dir.resolve("test") + ": 16 rows"), out());
    assertTrue(Files.isDirectory(dir.resolve("train_optimum/_delta_log")));

    assertEquals(0, run("validate", "--table", dir.resolve("test").toString()), err());
    assertEquals("valid " + dir.resolve("test") + "@v0: 16 rows, 6 features, splits {test=16}\n",
        out());
  }

  @Test
  void usageAndDataErrorsHaveDistinctExitCodes(@TempDir Path dir) {
    assertEquals(2, run());
    assertTrue(out().contains("usage: lather-datasets <command> [options]"));
    assertEquals(2, run("fashion-mnist", "--out", dir.toString(), "--limt", "5"));
    assertTrue(err().startsWith("error: fashion-mnist does not take --limt\n"), err());
    assertEquals(2, run("synthetic-mlp", "--out", dir.toString(), "--rows", "5"));
    assertTrue(err().startsWith("error: synthetic-mlp needs --input-dim\n"), err());
    assertEquals(2, run("csv", "--in", "x.csv", "--out", dir.toString(), "--label", "y"));
    assertTrue(err().startsWith("error: give exactly one of --features"), err());

    assertEquals(1, run("fashion-mnist", "--out", dir.resolve("f").toString(), "--source-dir",
        dir.resolve("missing").toString()));
    assertTrue(err().contains("sudo apt-get install dataset-fashion-mnist"), err());
    assertEquals(1, run("synthetic-mlp", "--out", dir.toString(), "--rows", "5",
        "--input-dim", "3", "--noise", "-1"));
    assertTrue(err().startsWith("error: noise = -1.0; must be finite and >= 0."), err());
    assertFalse(Files.exists(dir.resolve("train")));
  }

  @Test
  void csvCommandWritesATable(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("in.csv");
    Files.writeString(csv, "f1,f2,species\n1,2,b\n3,4,a\n");
    assertEquals(0, run("csv", "--in", csv.toString(), "--out", dir.resolve("t").toString(),
        "--label", "species", "--feature-range", "f1:f2", "--index-labels"), err());
    assertTrue(out().startsWith("wrote " + dir.resolve("t") + ": 2 rows, 2 features, 2 classes"),
        out());
    assertEquals(0, run("csv", "--in", csv.toString(), "--out", dir.resolve("t").toString(),
        "--label", "species", "--feature-range", "f1:f2", "--index-labels"), err());
    assertTrue(out().startsWith("kept existing " + dir.resolve("t")), out());
  }
}
