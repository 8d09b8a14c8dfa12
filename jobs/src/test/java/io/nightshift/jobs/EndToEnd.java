package io.nightshift.jobs;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * A test class of the end-to-end tier: it runs whole nights through the command line (or asserts on the warm
 * fixture that does). {@code scripts/test} runs it; {@code scripts/test --quick} leaves it out.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("e2e")
public @interface EndToEnd {
}
