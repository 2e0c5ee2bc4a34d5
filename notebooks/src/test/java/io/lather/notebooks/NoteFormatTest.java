package io.lather.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The committed notes are Zeppelin notes as Zeppelin writes them, with outputs cleared, and follow the conventions the
 * harness and the README rely on. No Spark: these checks take milliseconds.
 */
class NoteFormatTest {
    private static final List<String> NOTE_KEYS = List.of("paragraphs", "name", "id", "defaultInterpreterGroup", "version",
            "noteParams", "noteForms", "angularObjects", "config", "info");
    private static final List<String> PARAGRAPH_KEYS = List.of("text", "config", "settings", "id", "status");
    /** Zeppelin's note ids: 9 upper-case letters and digits. */
    private static final Pattern NOTE_ID = Pattern.compile("[A-Z0-9]{9}");
    private static final Pattern PARAGRAPH_ID = Pattern.compile("paragraph_[0-9]+_[0-9]+");
    /** Left by running a paragraph; a committed note has none of them. */
    private static final List<String> RUN_STATE = List.of("results", "dateStarted", "dateFinished", "errorMessage");

    private final List<ZeppelinNote> notes = ZeppelinNote.readAll(ZeppelinNote.notesDir());

    @Test
    void theFourRequiredNotesArePresent() {
        List<String> names = notes.stream().map(ZeppelinNote::name).toList();
        for (String required : List.of("Quickstart", "Optimizer comparison", "Long runs", "Bring your own model")) {
            assertTrue(names.stream().anyMatch(n -> n.contains(required)), "no note named '*" + required + "*' in " + names);
        }
    }

    @Test
    void notesHaveZeppelinsNoteFields() {
        Set<String> ids = new HashSet<>();
        for (ZeppelinNote n : notes) {
            for (String k : NOTE_KEYS) {
                assertTrue(n.json().has(k), n.file() + ": missing note field '" + k + "'");
            }
            assertEquals("spark", n.defaultInterpreterGroup(), n.file() + ": defaultInterpreterGroup");
            assertTrue(NOTE_ID.matcher(n.id()).matches(), n.file() + ": note id '" + n.id() + "' is not 9 letters/digits");
            assertTrue(ids.add(n.id()), n.file() + ": note id " + n.id() + " used twice");
            // Zeppelin stores a note as <name>_<id>.zpln
            assertTrue(n.file().getFileName().toString().endsWith("_" + n.id() + ".zpln"),
                    n.file() + ": file name must end with _" + n.id() + ".zpln");
            assertEquals(0, n.json().get("noteForms").size(), n.file() + ": noteForms must be empty (no saved form values)");
            assertEquals(0, n.json().get("angularObjects").size(), n.file() + ": angularObjects must be empty");
        }
    }

    @Test
    void paragraphsAreClearedAndWellFormed() {
        Set<String> ids = new HashSet<>();
        for (ZeppelinNote n : notes) {
            assertFalse(n.paragraphs().isEmpty(), n.file() + ": no paragraphs");
            for (ZeppelinNote.Paragraph p : n.paragraphs()) {
                String where = n.file().getFileName() + " " + p.label();
                JsonNode j = p.json();
                for (String k : PARAGRAPH_KEYS) {
                    assertTrue(j.has(k), where + ": missing paragraph field '" + k + "'");
                }
                for (String k : RUN_STATE) {
                    assertFalse(j.has(k), where + ": has '" + k + "' (outputs must be cleared before committing)");
                }
                assertEquals("READY", j.get("status").asText(), where + ": status");
                assertEquals(0, j.path("settings").path("params").size(), where + ": saved form values in settings.params");
                assertEquals(0, j.path("settings").path("forms").size(), where + ": saved forms in settings.forms");
                assertTrue(PARAGRAPH_ID.matcher(p.id()).matches(), where + ": id '" + p.id() + "'");
                assertTrue(ids.add(p.id()), where + ": paragraph id used twice");
                assertTrue(List.of("spark", "spark.sql", "md").contains(p.interpreter()),
                        where + ": interpreter %" + p.interpreter() + " (the notes use %spark, %spark.sql and %md)");
                assertTrue(j.get("text").asText().startsWith("%" + p.interpreter() + "\n"),
                        where + ": text must start with its interpreter line");
            }
        }
    }

    @Test
    void everyNoteTakesItsSizesFromFormsInItsFirstScalaParagraph() {
        for (ZeppelinNote n : notes) {
            ZeppelinNote.Paragraph first = n.paragraphs().stream().filter(p -> p.interpreter().equals("spark")).findFirst()
                    .orElseThrow(() -> new AssertionError(n.file() + ": no %spark paragraph"));
            assertTrue(first.body().contains("z.textbox(\"data_dir\""), n.file() + ": the first %spark paragraph must read "
                    + "data_dir (and the sizes) from z.textbox forms, so that CI can run it on small data");
            for (ZeppelinNote.Paragraph p : n.paragraphs()) {
                if (p != first) {
                    assertFalse(p.body().contains("z.textbox("), n.file() + " " + p.label()
                            + ": forms belong in the first %spark paragraph");
                }
            }
        }
    }

    @Test
    void notesUseOnlyPublicApi() {
        for (ZeppelinNote n : notes) {
            for (ZeppelinNote.Paragraph p : n.paragraphs()) {
                if (p.interpreter().equals("spark")) {
                    assertFalse(p.body().matches("(?s).*io\\.lather\\.[a-z.]*internal.*"), n.file() + " " + p.label()
                            + ": refers to an internal package; notes call only the modules' public API");
                }
            }
        }
    }

    @Test
    void splitSqlKeepsQuotedSemicolonsAndDropsComments() {
        assertEquals(List.of("SELECT 'a;b' AS x", "SELECT 2"),
                NoteRunner.splitSql("-- two statements; the first has a quoted semicolon\nSELECT 'a;b' AS x;\n\nSELECT 2;\n"));
    }

    @Test
    void commentOnlyChunksAreRecognised() {
        assertFalse(NoteRunner.hasCode("// a comment\n\n  /* a block\n comment */\n"));
        assertTrue(NoteRunner.hasCode("val x = 1 // and a comment"));
        assertTrue(NoteRunner.hasCode("/* c */ x"));
    }
}
