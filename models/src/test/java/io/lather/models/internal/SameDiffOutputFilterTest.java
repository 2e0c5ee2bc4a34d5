package io.lather.models.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SameDiffOutputFilterTest {
    @Test
    void dropsOnlyNd4jsDebugLines() {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            SameDiffOutputFilter.install();
            SameDiffOutputFilter.install(); // idempotent
            System.out.println("Added differentiated op matmul");
            System.out.println("step 1/10  loss 2.3");
            System.out.println((Object) "Added differentiated op x, but as an object");
        } finally {
            System.setOut(original);
        }
        assertEquals("step 1/10  loss 2.3\nAdded differentiated op x, but as an object\n",
                bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
    }
}
