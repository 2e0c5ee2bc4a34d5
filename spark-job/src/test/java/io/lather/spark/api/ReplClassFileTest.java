package io.lather.spark.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lather.models.CustomGraph;
import io.lather.models.CustomModelFactory;
import io.lather.models.CustomSpec;
import io.lather.models.ParameterInit;
import io.lather.models.ParameterSpec;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.reflect.Modifier;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The hand-written class file that carries a REPL-defined model factory: the JVM accepts it, it has the public
 * no-argument constructor a {@code custom} spec needs, and it hands back the serialized factory. No Spark, no REPL.
 */
class ReplClassFileTest {

    /** A factory with state, standing for one written in a notebook. */
    static final class Recording implements CustomModelFactory, Serializable {
        private static final long serialVersionUID = 1L;
        final int hidden;

        Recording(int hidden) {
            this.hidden = hidden;
        }

        @Override
        public CustomGraph build(CustomSpec spec, DataType dataType) {
            throw new UnsupportedOperationException("not built in this test");
        }

        @Override
        public ParameterInit initialization(ParameterSpec parameter) {
            return ParameterInit.heUniform(hidden);
        }
    }

    /** Defines classes from bytes, as the REPL and Spark's executor class loader do. */
    static final class BytesLoader extends ClassLoader {
        BytesLoader() {
            super(ReplClassFileTest.class.getClassLoader());
        }

        Class<?> define(String name, byte[] bytes) {
            return defineClass(name, bytes, 0, bytes.length);
        }
    }

    private static String encode(Object o) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(b)) {
            out.writeObject(o);
        }
        return Base64.getEncoder().encodeToString(b.toByteArray());
    }

    @Test
    void theGeneratedClassLoadsAndCarriesTheFactory() throws Exception {
        String payload = encode(new Recording(12));
        String name = Lather.REPL_PACKAGE + ".ReplModel_test";
        Class<?> c = new BytesLoader().define(name, ReplClassFile.write(name, ReplModelFactory.class.getName(), payload));

        assertEquals(ReplModelFactory.class, c.getSuperclass());
        assertTrue(Modifier.isPublic(c.getModifiers()) && Modifier.isFinal(c.getModifiers()));
        // what CustomGraphs.loadFactory does with a factory class name
        Object instance = c.getConstructor().newInstance();
        ReplModelFactory f = assertInstanceOf(ReplModelFactory.class, instance);
        assertEquals(payload, f.payload());
        Recording r = assertInstanceOf(Recording.class, f.delegate());
        assertEquals(12, r.hidden);
        assertSame(r, f.delegate(), "the factory is deserialized once per instance");
        // calls are delegated
        ParameterSpec p = new ParameterSpec("W", new long[] {3, 4});
        assertEquals(ParameterInit.heUniform(12), f.initialization(p));
    }

    @Test
    void theLargestPayloadFitsAndOneMoreCharacterIsRefused() throws Exception {
        String max = "B".repeat(ReplClassFile.MAX_CONSTANT_BYTES);
        Class<?> c = new BytesLoader().define("x.Max", ReplClassFile.write("x.Max", "java.lang.Object", max));
        assertEquals(max, c.getMethod("payload").invoke(c.getConstructor().newInstance()));
        String big = max + "B";
        assertThrows(IllegalArgumentException.class, () -> ReplClassFile.write("x.Y", ReplModelFactory.class.getName(), big));
    }

    @Test
    void anUnreadablePayloadNamesTheGeneratedClass() {
        LatherApiException e = assertThrows(LatherApiException.class,
                () -> ReplModelFactory.decode(Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}),
                        getClass().getClassLoader(), "lather.repl.ReplModel_bad"));
        assertTrue(e.getMessage().startsWith("Cannot read back the model factory carried by lather.repl.ReplModel_bad"),
                e.getMessage());
    }
}
