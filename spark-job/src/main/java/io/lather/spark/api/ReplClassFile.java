package io.lather.spark.api;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes the bytes of a minimal class file: {@code public final class <name> extends <superName>} with a public
 * no-argument constructor that calls the superclass's, and one method {@code public String payload()} returning a
 * string constant. That is all {@link Lather#replModelFactory} needs, so it is written by hand (JVM specification
 * §4) instead of pulling in a bytecode library. Class-file version 52 (Java 8): straight-line code needs no
 * {@code StackMapTable}.
 */
final class ReplClassFile {
    /** The longest string one {@code CONSTANT_Utf8} entry holds (its length is an unsigned 16-bit count). */
    static final int MAX_CONSTANT_BYTES = 65_535;

    private static final int CONSTANT_UTF8 = 1;
    private static final int CONSTANT_CLASS = 7;
    private static final int CONSTANT_STRING = 8;
    private static final int CONSTANT_METHODREF = 10;
    private static final int CONSTANT_NAME_AND_TYPE = 12;
    private static final int ACC_PUBLIC = 0x0001;
    private static final int ACC_FINAL = 0x0010;
    private static final int ACC_SUPER = 0x0020;

    private ReplClassFile() {}

    /**
     * @param binaryName the class's binary name, e.g. {@code lather.repl.ReplModel_ab12}
     * @param superName the superclass's binary name; it must have an accessible no-argument constructor
     * @param payload the string {@code payload()} returns; ASCII, at most {@link #MAX_CONSTANT_BYTES} characters
     * @return the class file
     */
    static byte[] write(String binaryName, String superName, String payload) {
        byte[] constant = payload.getBytes(StandardCharsets.US_ASCII);
        if (constant.length > MAX_CONSTANT_BYTES || !payload.chars().allMatch(c -> c > 0 && c < 128)) {
            throw new IllegalArgumentException("payload must be ASCII without NUL and at most " + MAX_CONSTANT_BYTES
                    + " characters, got " + payload.length());
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(constant.length + 512);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(0xCAFEBABE);
            out.writeShort(0); // minor version
            out.writeShort(52); // major version: Java 8
            out.writeShort(14); // constant pool count = entries + 1
            utf8(out, binaryName.replace('.', '/')); // #1
            out.writeByte(CONSTANT_CLASS); // #2 this class
            out.writeShort(1);
            utf8(out, superName.replace('.', '/')); // #3
            out.writeByte(CONSTANT_CLASS); // #4 super class
            out.writeShort(3);
            utf8(out, "<init>"); // #5
            utf8(out, "()V"); // #6
            out.writeByte(CONSTANT_NAME_AND_TYPE); // #7 <init>()V
            out.writeShort(5);
            out.writeShort(6);
            out.writeByte(CONSTANT_METHODREF); // #8 super.<init>()V
            out.writeShort(4);
            out.writeShort(7);
            utf8(out, "Code"); // #9
            utf8(out, "payload"); // #10
            utf8(out, "()Ljava/lang/String;"); // #11
            out.writeByte(CONSTANT_UTF8); // #12 the payload (ASCII is its own modified UTF-8)
            out.writeShort(constant.length);
            out.write(constant);
            out.writeByte(CONSTANT_STRING); // #13 "payload"
            out.writeShort(12);

            out.writeShort(ACC_PUBLIC | ACC_FINAL | ACC_SUPER);
            out.writeShort(2); // this
            out.writeShort(4); // super
            out.writeShort(0); // interfaces
            out.writeShort(0); // fields
            out.writeShort(2); // methods
            // public <init>() { super(); }: aload_0; invokespecial #8; return
            method(out, 5, 6, 1, 1, new byte[] {0x2a, (byte) 0xb7, 0x00, 0x08, (byte) 0xb1});
            // public String payload() { return "<payload>"; }: ldc_w #13; areturn
            method(out, 10, 11, 1, 1, new byte[] {0x13, 0x00, 0x0d, (byte) 0xb0});
            out.writeShort(0); // class attributes
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    private static void utf8(DataOutputStream out, String s) throws IOException {
        out.writeByte(CONSTANT_UTF8);
        out.writeUTF(s);
    }

    private static void method(DataOutputStream out, int name, int descriptor, int maxStack, int maxLocals, byte[] code)
            throws IOException {
        out.writeShort(ACC_PUBLIC);
        out.writeShort(name);
        out.writeShort(descriptor);
        out.writeShort(1); // attributes: Code
        out.writeShort(9); // "Code"
        out.writeInt(2 + 2 + 4 + code.length + 2 + 2); // attribute length
        out.writeShort(maxStack);
        out.writeShort(maxLocals);
        out.writeInt(code.length);
        out.write(code);
        out.writeShort(0); // exception table
        out.writeShort(0); // code attributes
    }
}
