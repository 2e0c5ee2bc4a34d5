package io.lather.datasets.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lather.datasets.LatherDataException;
import io.lather.datasets.TestSpark;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The session factory's settings (the shared test session is built by it). */
class LatherSparkSessionsTest {

  @Test
  void localSessionHasDeltaAndSmallMachineSettings() {
    SparkSession spark = TestSpark.get();
    var conf = spark.sparkContext().getConf();
    assertEquals("local[2]", conf.get("spark.master"));
    assertEquals("false", conf.get("spark.ui.enabled"));
    assertEquals("127.0.0.1", conf.get("spark.driver.bindAddress"));
    assertEquals("127.0.0.1", conf.get("spark.driver.host"));
    assertEquals("io.delta.sql.DeltaSparkSessionExtension", conf.get("spark.sql.extensions"));
    assertEquals("org.apache.spark.sql.delta.catalog.DeltaCatalog",
        conf.get("spark.sql.catalog.spark_catalog"));
    assertEquals("2", spark.conf().get("spark.sql.shuffle.partitions"));
    assertTrue(conf.get("spark.sql.warehouse.dir").contains("lather-datasets-test"));
    // The Delta catalog answers path-based identifiers (what the loaders write through).
    assertTrue(spark.sessionState().catalogManager().v2SessionCatalog().getClass().getName()
        .endsWith("DeltaCatalog"));

    LatherDataException e = assertThrows(LatherDataException.class,
        () -> LatherSparkSessions.local("x", 0));
    assertEquals("threads = 0; must be >= 1.", e.getMessage().lines().findFirst().orElseThrow());
  }
}
