package io.lather.notebooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Zeppelin note read from its {@code .zpln} file (Zeppelin 0.9+ note format: a JSON object with
 * {@code paragraphs}, {@code name}, {@code id}, {@code defaultInterpreterGroup}, ...). Only what the harness and the
 * format test need is extracted; {@link #json()} keeps the rest.
 *
 * @param file the file
 * @param name the note's name (its path in Zeppelin's note tree)
 * @param id the note id
 * @param defaultInterpreterGroup the interpreter group of paragraphs that name none
 * @param paragraphs the paragraphs in order
 * @param json the whole document
 */
record ZeppelinNote(Path file, String name, String id, String defaultInterpreterGroup, List<Paragraph> paragraphs,
        JsonNode json) {

    /** {@code %name} or {@code %name(option=...)} at the start of a paragraph, then the body. */
    private static final Pattern DIRECTIVE = Pattern.compile("^%([A-Za-z0-9_.]+)(\\([^)]*\\))?[ \\t]*\\R?");

    /**
     * One paragraph.
     *
     * @param index 0-based position in the note
     * @param id the paragraph id
     * @param title the title, or ""
     * @param interpreter the interpreter name, e.g. {@code spark}, {@code spark.sql}, {@code md}; the note's default
     *     group when the text names none
     * @param body the text after the interpreter directive
     * @param enabled false when the paragraph is disabled (Zeppelin's "run all" skips it)
     * @param json the paragraph's object
     */
    record Paragraph(int index, String id, String title, String interpreter, String body, boolean enabled, JsonNode json) {
        /** @return {@code "paragraph <index> (<title or id>)"} for messages */
        String label() {
            return "paragraph " + index + " (" + (title.isEmpty() ? id : "'" + title + "'") + ")";
        }
    }

    /** Reads a note. */
    static ZeppelinNote read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file + " as JSON", e);
        }
        String group = root.path("defaultInterpreterGroup").asText("spark");
        List<Paragraph> paragraphs = new ArrayList<>();
        JsonNode ps = root.path("paragraphs");
        for (int i = 0; i < ps.size(); i++) {
            JsonNode p = ps.get(i);
            String text = p.path("text").asText("");
            String interpreter = group;
            String body = text;
            Matcher m = DIRECTIVE.matcher(text);
            if (m.find()) {
                interpreter = m.group(1);
                body = text.substring(m.end());
            }
            boolean enabled = p.path("config").path("enabled").asBoolean(true);
            paragraphs.add(new Paragraph(i, p.path("id").asText(""), p.path("title").asText(""), interpreter, body, enabled, p));
        }
        return new ZeppelinNote(file, root.path("name").asText(""), root.path("id").asText(""), group, List.copyOf(paragraphs),
                root);
    }

    /** Every {@code .zpln} file under a directory, sorted by file name. */
    static List<ZeppelinNote> readAll(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".zpln")).sorted().map(ZeppelinNote::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list notes in " + dir, e);
        }
    }

    /** The notes directory: system property {@code lather.notes.dir} (set by the pom), else {@code notes}. */
    static Path notesDir() {
        return Path.of(System.getProperty("lather.notes.dir", "notes"));
    }
}
