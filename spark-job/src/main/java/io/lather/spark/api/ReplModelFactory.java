package io.lather.spark.api;

import io.lather.models.CustomGraph;
import io.lather.models.CustomModelFactory;
import io.lather.models.CustomSpec;
import io.lather.models.ParameterInit;
import io.lather.models.ParameterSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import java.util.Base64;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The superclass of the small classes that {@link Lather#replModelFactory} generates so that a
 * {@link CustomModelFactory} written in a Scala REPL (a Zeppelin {@code %spark} paragraph, {@code spark-shell}) can be
 * named in a {@code custom} model spec. Not for subclassing by hand.
 *
 * <p>Why it exists: a {@code custom} spec names its factory by class, and every JVM that builds the model (the driver
 * and each executor task) instantiates that class through a public no-argument constructor. A class defined in a
 * class-based Scala REPL is an inner class of the REPL's line wrapper, so all its constructors take the wrapper as a
 * hidden first argument and it cannot be named that way. {@link Lather#replModelFactory} therefore Java-serializes
 * the user's factory instance and writes a top-level subclass of this class into the REPL's class output directory
 * ({@code spark.repl.class.outputDir}), the directory from which Spark executors already load REPL classes. The
 * generated class has a public no-argument constructor and returns the serialized instance from {@link #payload()};
 * its name contains a digest of that payload, so a changed factory gets a new name and never meets a model cached for
 * the old one.
 *
 * <p>Every call is delegated to the deserialized instance, read once per instance of the generated class with the
 * generated class's own loader (the REPL loader on the driver, Spark's executor class loader on executors), which can
 * load the REPL classes the instance refers to.
 */
public abstract class ReplModelFactory implements CustomModelFactory {
    private transient CustomModelFactory delegate;

    /** For generated subclasses. */
    protected ReplModelFactory() {}

    /**
     * The user's factory, Java-serialized and Base64-encoded; a constant of the generated class.
     *
     * @return the encoded instance
     */
    protected abstract String payload();

    /**
     * The factory this class stands for.
     *
     * @return the deserialized user factory (the same instance on every call)
     * @throws LatherApiException if it cannot be deserialized here (a class it refers to is missing)
     */
    public final synchronized CustomModelFactory delegate() {
        if (delegate == null) {
            delegate = decode(payload(), getClass().getClassLoader(), getClass().getName());
        }
        return delegate;
    }

    @Override
    public CustomGraph build(CustomSpec spec, DataType dataType) {
        return delegate().build(spec, dataType);
    }

    @Override
    public ParameterInit initialization(ParameterSpec parameter) {
        return delegate().initialization(parameter);
    }

    /** Reverses {@link Lather#replModelFactory}'s encoding. */
    static CustomModelFactory decode(String payload, ClassLoader loader, String generatedName) {
        byte[] bytes = Base64.getDecoder().decode(payload);
        try (ObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(bytes), loader)) {
            Object o = in.readObject();
            if (!(o instanceof CustomModelFactory)) {
                throw ApiErrors.replFactoryUnreadable(generatedName, "it holds a " + o.getClass().getName()
                        + ", not a CustomModelFactory", null);
            }
            return (CustomModelFactory) o;
        } catch (IOException | ClassNotFoundException e) {
            throw ApiErrors.replFactoryUnreadable(generatedName, e.toString(), e);
        }
    }

    /**
     * Resolves classes with a given loader. A plain {@link ObjectInputStream} uses the nearest user-defined loader on
     * the call stack, which is the application loader here and cannot see REPL classes.
     */
    static final class LoaderObjectInputStream extends ObjectInputStream {
        private final ClassLoader loader;

        LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            try {
                return Class.forName(desc.getName(), false, loader);
            } catch (ClassNotFoundException e) {
                return super.resolveClass(desc); // primitives and arrays of them
            }
        }
    }
}
