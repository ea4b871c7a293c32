package dev.hikkoshi.sandbox.db;

import java.lang.reflect.AnnotatedElement;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving each test a {@link SchemaPair}: a new schema of one name on the JVM's shared source
 * and target servers ({@link SharedServers}), dropped after the test. Use with
 * {@code @ExtendWith(FreshSchemaExtension.class)} and a {@code SchemaPair} test-method parameter.
 */
public final class FreshSchemaExtension implements ParameterResolver, AfterEachCallback {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(FreshSchemaExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SchemaPair.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent("pair", k -> create(context), SchemaPair.class);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        SchemaPair pair = context.getStore(NAMESPACE).remove("pair", SchemaPair.class);
        if (pair != null) {
            pair.source().execute("DROP DATABASE IF EXISTS `" + pair.name() + "`");
            pair.target().execute("DROP DATABASE IF EXISTS `" + pair.name() + "`");
        }
    }

    private static SchemaPair create(ExtensionContext context) {
        String name = schemaName(context.getTestMethod().map(m -> m.getName()).orElse("test"));
        boolean legacy = annotated(context.getTestMethod()) || annotated(context.getTestClass());
        EmbeddedMariaDb source = legacy ? SharedServers.legacySource() : SharedServers.pair().source();
        EmbeddedMariaDb target = SharedServers.pair().target();
        source.execute("", "CREATE DATABASE `" + name + "`");
        target.execute("", "CREATE DATABASE `" + name + "`");
        return new SchemaPair(new SandboxSchema(source, name), new SandboxSchema(target, name));
    }

    private static boolean annotated(Optional<? extends AnnotatedElement> element) {
        return element.map(e -> e.isAnnotationPresent(LegacyLikeSource.class)).orElse(false);
    }

    /** {@code hk_<n>_<method>}: unique in the JVM, readable in server logs, within MySQL's 64 characters. */
    static String schemaName(String method) {
        String cleaned = method.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        String name = "hk_" + COUNTER.incrementAndGet() + "_" + cleaned;
        return name.length() > 64 ? name.substring(0, 64) : name;
    }
}
