package io.hookflow.nativecheck;

import java.util.LinkedHashSet;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.signature.SignatureReader;
import org.objectweb.asm.signature.SignatureVisitor;

/** The classes a descriptor or generic signature names, type arguments included (internal names). */
final class TypeNames {

    private TypeNames() {
    }

    /** Of a field, local variable or record component: its generic signature when it has one, else its descriptor. */
    static Set<String> ofValue(String signature, String descriptor) {
        if (signature == null) {
            return ofDescriptor(Type.getType(descriptor));
        }
        Collector collector = new Collector();
        new SignatureReader(signature).acceptType(collector);
        return collector.names;
    }

    /** Of a method: the classes its generic return type names (a method without a signature: its descriptor). */
    static Set<String> ofReturn(String signature, String descriptor) {
        if (signature == null) {
            return ofDescriptor(Type.getReturnType(descriptor));
        }
        return ofPart(signature, true);
    }

    /** Of a class: the classes its generic superclass names, e.g. {@code ActionTask} of {@code Deserializer<ActionTask>}. */
    static Set<String> ofSuperclass(String classSignature) {
        return ofPart(classSignature, false);
    }

    /** The classes of one part of a method's or class's signature: the return type, or else the superclass. */
    private static Set<String> ofPart(String signature, boolean returnType) {
        Collector part = new Collector();
        new SignatureReader(signature).accept(new SignatureVisitor(Opcodes.ASM9) {
            @Override
            public SignatureVisitor visitReturnType() {
                return returnType ? part : this;
            }

            @Override
            public SignatureVisitor visitSuperclass() {
                return returnType ? this : part;
            }
        });
        return part.names;
    }

    static Set<String> ofDescriptor(Type type) {
        Type element = type.getSort() == Type.ARRAY ? type.getElementType() : type;
        return element.getSort() == Type.OBJECT ? Set.of(element.getInternalName()) : Set.of();
    }

    /** Collects every class type it visits, including those nested in type arguments and arrays. */
    private static final class Collector extends SignatureVisitor {

        final Set<String> names;
        private String current;

        Collector() {
            this(new LinkedHashSet<>());
        }

        /** A type argument's collector: its own current type, the names shared with the type it belongs to. */
        private Collector(Set<String> names) {
            super(Opcodes.ASM9);
            this.names = names;
        }

        @Override
        public void visitClassType(String name) {
            current = name;
            names.add(name);
        }

        @Override
        public void visitInnerClassType(String name) {
            current = current + "$" + name;
            names.add(current);
        }

        @Override
        public SignatureVisitor visitTypeArgument(char wildcard) {
            return new Collector(names);
        }
    }
}
