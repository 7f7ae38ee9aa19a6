package io.portwatch.agent;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.inject.Qualifier;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * The executor host names are looked up on: the JDK resolver blocks, so a view of Quarkus' worker
 * pool that runs at most {@link AgentProducers#RESOLVER_THREADS} lookups at once.
 */
@Qualifier
@Retention(RUNTIME)
@Target({METHOD, FIELD, PARAMETER})
public @interface DnsResolverPool {}
