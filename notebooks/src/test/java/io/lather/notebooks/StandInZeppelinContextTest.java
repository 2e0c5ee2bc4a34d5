package io.lather.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/** The stand-in {@code z}'s forms and resource pool (its {@code show} runs in every note). */
class StandInZeppelinContextTest {
    private final StandInZeppelinContext z = new StandInZeppelinContext(Map.of("rows", "12", "optimizer", "shampoo"),
            new PrintStream(new ByteArrayOutputStream()));

    @Test
    void formsAreAnsweredFromTheCiValuesAndRecorded() {
        assertEquals("12", z.textbox("rows", "60000"));
        Object chosen = z.select("optimizer", scala.jdk.javaapi.CollectionConverters.asScala(
                List.<Tuple2<Object, String>>of(new Tuple2<>("adamw", "AdamW"), new Tuple2<>("shampoo", "Shampoo"))).toSeq());
        assertEquals("shampoo", chosen);
        assertEquals(List.of("rows", "optimizer"), z.formsAsked());
    }

    @Test
    void aFormWithoutCiValueFailsAndSaysWhereToAddOne() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> z.textbox("steps", "500"));
        assertTrue(e.getMessage().contains("form 'steps'") && e.getMessage().contains("NotebooksTest.CI_FORMS"), e.getMessage());
    }

    @Test
    void aSelectAnswerMustBeOneOfTheOptions() {
        StandInZeppelinContext other = new StandInZeppelinContext(Map.of("optimizer", "sgd"), System.out);
        assertThrows(IllegalStateException.class, () -> other.select("optimizer", scala.jdk.javaapi.CollectionConverters.asScala(
                List.<Tuple2<Object, String>>of(new Tuple2<>("adamw", "AdamW"))).toSeq()));
    }

    @Test
    void putAndGet() {
        z.put("run", "quickstart-1");
        assertEquals("quickstart-1", z.get("run"));
        assertNull(z.get("missing"));
    }
}
