package io.hookflow.nativecheck;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.RecordComponentNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * Finds, in compiled classes, the types Jackson binds by reflection, which a native executable can bind only if they
 * are registered. Where a type is found to be bound:
 * <ul>
 *   <li>a value or class literal handed to an {@code ObjectMapper}, {@code ObjectReader}, {@code ObjectWriter},
 *       {@code TypeFactory} or a Quarkus Kafka (de)serializer, e.g. {@code mapper.readValue(json, Rule.class)} or
 *       {@code mapper.writeValueAsString(event)} (the value's declared type);</li>
 *   <li>the type argument of a {@code TypeReference} or Quarkus' {@code ObjectMapperDeserializer} subclass;</li>
 *   <li>a JSON column ({@code @JdbcTypeCode(SqlTypes.JSON)}), which Hibernate's Jackson mapper reads and writes;</li>
 *   <li>a type that carries Jackson annotations;</li>
 *   <li>and, from each of these, the types of its properties (record components, fields, getters), transitively.</li>
 * </ul>
 * Only types under the given package are reported: the libraries' own types are the extensions' business.
 */
final class JacksonBoundTypes {

    private static final Set<String> BINDERS = Set.of("com/fasterxml/jackson/databind/ObjectMapper",
            "com/fasterxml/jackson/databind/ObjectReader", "com/fasterxml/jackson/databind/ObjectWriter",
            "com/fasterxml/jackson/databind/type/TypeFactory");
    private static final String QUARKUS_KAFKA_SERDES = "io/quarkus/kafka/client/serialization/";
    private static final Set<String> GENERIC_BINDERS = Set.of("com/fasterxml/jackson/core/type/TypeReference",
            QUARKUS_KAFKA_SERDES + "ObjectMapperDeserializer", QUARKUS_KAFKA_SERDES + "ObjectMapperSerializer");
    private static final String CLASS = "java/lang/Class";
    private static final String OBJECT = "java/lang/Object";
    private static final String JDBC_TYPE_CODE = "Lorg/hibernate/annotations/JdbcTypeCode;";
    /** {@code org.hibernate.type.SqlTypes.JSON}. */
    private static final int SQL_TYPES_JSON = 3001;

    private final String packagePrefix;
    private final Map<String, ClassNode> classes = new TreeMap<>();

    /** @param packageName only types of this package and below, e.g. {@code io.hookflow} */
    JacksonBoundTypes(String packageName) {
        this.packagePrefix = packageName.replace('.', '/') + "/";
    }

    /** Reads the classes of the package from a jar or a directory of classes; a class read before is kept. */
    JacksonBoundTypes scan(Path jarOrDirectory) {
        try {
            if (Files.isDirectory(jarOrDirectory)) {
                try (Stream<Path> files = Files.walk(jarOrDirectory)) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                        try (InputStream in = Files.newInputStream(file)) {
                            read(in);
                        }
                    }
                }
            } else {
                try (JarFile jar = new JarFile(jarOrDirectory.toFile())) {
                    for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
                        JarEntry entry = entries.nextElement();
                        if (entry.getName().startsWith(packagePrefix) && entry.getName().endsWith(".class")) {
                            try (InputStream in = jar.getInputStream(entry)) {
                                read(in);
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + jarOrDirectory, e);
        }
        return this;
    }

    int classCount() {
        return classes.size();
    }

    /**
     * The concrete classes Jackson binds (binary names, as reflect-config.json names them), each with where it was
     * first found to be bound. Enums, interfaces and abstract classes are followed but not listed.
     */
    Map<String, String> concreteTypes() {
        Map<String, String> bound = new LinkedHashMap<>();
        Deque<String> toFollow = new ArrayDeque<>();
        for (ClassNode type : classes.values()) {
            roots(type, (name, why) -> {
                if (name.startsWith(packagePrefix) && !bound.containsKey(name)) {
                    bound.put(name, why);
                    toFollow.add(name);
                }
            });
        }
        while (!toFollow.isEmpty()) {
            String name = toFollow.poll();
            ClassNode type = classes.get(name);
            if (type == null) {
                continue;
            }
            for (String property : propertyTypes(type)) {
                if (property.startsWith(packagePrefix) && !bound.containsKey(property)) {
                    bound.put(property, "a property type of " + binary(name));
                    toFollow.add(property);
                }
            }
        }
        Map<String, String> concrete = new TreeMap<>();
        bound.forEach((name, why) -> {
            ClassNode type = classes.get(name);
            if (type != null && isConcrete(type)) {
                concrete.put(binary(name), why);
            }
        });
        return concrete;
    }

    private interface Sink {
        void bound(String internalName, String why);
    }

    private void roots(ClassNode type, Sink sink) {
        String where = binary(type.name);
        if (carriesJacksonAnnotations(type)) {
            sink.bound(type.name, "it carries Jackson annotations");
        }
        if (type.signature != null && GENERIC_BINDERS.contains(type.superName)) {
            TypeNames.ofSuperclass(type.signature).forEach(name -> sink.bound(name, "the type argument of " + where));
        }
        for (FieldNode field : type.fields) {
            if (isJsonColumn(field)) {
                TypeNames.ofValue(field.signature, field.desc)
                        .forEach(name -> sink.bound(name, "the JSON column " + where + "." + field.name));
            }
        }
        for (MethodNode method : type.methods) {
            if (method.instructions.size() > 0) {
                handedToJackson(type, method, sink);
            }
        }
    }

    /** Values and class literals passed to a Jackson binder's {@code Object} and {@code Class} parameters. */
    private void handedToJackson(ClassNode type, MethodNode method, Sink sink) {
        Frame<SourceValue>[] frames;
        try {
            frames = new Analyzer<>(new SourceInterpreter()).analyze(type.name, method);
        } catch (AnalyzerException e) {
            throw new IllegalStateException("could not analyse " + binary(type.name) + "." + method.name, e);
        }
        String where = "passed to Jackson in " + binary(type.name) + "." + method.name;
        for (int i = 0; i < method.instructions.size(); i++) {
            if (!(method.instructions.get(i) instanceof MethodInsnNode call) || frames[i] == null || !isBinder(call.owner)) {
                continue;
            }
            Type[] parameters = Type.getArgumentTypes(call.desc);
            Frame<SourceValue> frame = frames[i];
            for (int p = 0; p < parameters.length; p++) {
                String parameter = parameters[p].getSort() == Type.OBJECT ? parameters[p].getInternalName() : "";
                if (!parameter.equals(CLASS) && !parameter.equals(OBJECT)) {
                    continue;
                }
                SourceValue argument = frame.getStack(frame.getStackSize() - parameters.length + p);
                for (AbstractInsnNode source : argument.insns) {
                    declaredTypes(method, source, parameter.equals(CLASS)).forEach(name -> sink.bound(name, where));
                }
            }
        }
    }

    private static boolean isBinder(String owner) {
        return BINDERS.contains(owner) || owner.startsWith(QUARKUS_KAFKA_SERDES);
    }

    /** The type a value was declared with where it comes from (a class literal for a Class parameter). */
    private static Set<String> declaredTypes(MethodNode method, AbstractInsnNode source, boolean classLiteral) {
        if (classLiteral) {
            return source instanceof LdcInsnNode ldc && ldc.cst instanceof Type literal
                    ? TypeNames.ofDescriptor(literal) : Set.of();
        }
        if (source instanceof VarInsnNode load && load.getOpcode() == Opcodes.ALOAD && method.localVariables != null) {
            int at = method.instructions.indexOf(load);
            for (LocalVariableNode local : method.localVariables) {
                if (local.index == load.var && method.instructions.indexOf(local.start) <= at
                        && at < method.instructions.indexOf(local.end)) {
                    return TypeNames.ofValue(local.signature, local.desc);
                }
            }
        } else if (source instanceof MethodInsnNode call) {
            return TypeNames.ofDescriptor(Type.getReturnType(call.desc));
        } else if (source instanceof FieldInsnNode field) {
            return TypeNames.ofDescriptor(Type.getType(field.desc));
        } else if (source instanceof TypeInsnNode typed && typed.getOpcode() != Opcodes.INSTANCEOF) {
            return TypeNames.ofDescriptor(Type.getObjectType(typed.desc));
        }
        return Set.of();
    }

    /** Record components, or instance fields and getters: what Jackson reads and writes of a bound type. */
    private static Set<String> propertyTypes(ClassNode type) {
        Set<String> names = new java.util.LinkedHashSet<>();
        if (type.recordComponents != null) {
            for (RecordComponentNode component : type.recordComponents) {
                names.addAll(TypeNames.ofValue(component.signature, component.descriptor));
            }
            return names;
        }
        for (FieldNode field : type.fields) {
            if ((field.access & (Opcodes.ACC_STATIC | Opcodes.ACC_TRANSIENT | Opcodes.ACC_SYNTHETIC)) == 0) {
                names.addAll(TypeNames.ofValue(field.signature, field.desc));
            }
        }
        for (MethodNode method : type.methods) {
            boolean getter = (method.name.startsWith("get") || method.name.startsWith("is"))
                    && Type.getArgumentTypes(method.desc).length == 0;
            if (getter && (method.access & Opcodes.ACC_PUBLIC) != 0 && (method.access & Opcodes.ACC_STATIC) == 0) {
                names.addAll(TypeNames.ofReturn(method.signature, method.desc));
            }
        }
        return names;
    }

    private static boolean isJsonColumn(FieldNode field) {
        for (AnnotationNode annotation : annotations(field.visibleAnnotations, field.invisibleAnnotations)) {
            if (JDBC_TYPE_CODE.equals(annotation.desc) && annotation.values != null
                    && Integer.valueOf(SQL_TYPES_JSON).equals(annotation.values.get(1))) {
                return true;
            }
        }
        return false;
    }

    private static boolean carriesJacksonAnnotations(ClassNode type) {
        if (isJackson(annotations(type.visibleAnnotations, type.invisibleAnnotations))) {
            return true;
        }
        for (FieldNode field : type.fields) {
            if (isJackson(annotations(field.visibleAnnotations, field.invisibleAnnotations))) {
                return true;
            }
        }
        for (MethodNode method : type.methods) {
            if (isJackson(annotations(method.visibleAnnotations, method.invisibleAnnotations))) {
                return true;
            }
        }
        if (type.recordComponents != null) {
            for (RecordComponentNode component : type.recordComponents) {
                if (isJackson(annotations(component.visibleAnnotations, component.invisibleAnnotations))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isJackson(List<AnnotationNode> annotations) {
        return annotations.stream().anyMatch(a -> a.desc.startsWith("Lcom/fasterxml/jackson/annotation/")
                || a.desc.startsWith("Lcom/fasterxml/jackson/databind/annotation/"));
    }

    private static List<AnnotationNode> annotations(List<AnnotationNode> visible, List<AnnotationNode> invisible) {
        return Stream.concat(visible == null ? Stream.empty() : visible.stream(),
                invisible == null ? Stream.empty() : invisible.stream()).toList();
    }

    private static boolean isConcrete(ClassNode type) {
        return (type.access & (Opcodes.ACC_INTERFACE | Opcodes.ACC_ABSTRACT | Opcodes.ACC_ENUM)) == 0;
    }

    private void read(InputStream in) throws IOException {
        ClassNode type = new ClassNode();
        new ClassReader(in).accept(type, 0);
        classes.putIfAbsent(type.name, type);
    }

    private static String binary(String internalName) {
        return internalName.replace('/', '.');
    }
}
